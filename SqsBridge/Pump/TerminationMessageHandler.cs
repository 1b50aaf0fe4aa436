using System.Globalization;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Termination queue: one JobTermination workflow per job event, id from its content.</summary>
public sealed class TerminationMessageHandler(IWorkflowStarter starter, BridgeOptions options,
    ILogger<TerminationMessageHandler> logger)
    : WorkflowStartHandler<JobTerminationInput>(starter, options, logger)
{
    public override string QueueKind => "termination";

    protected override ParseResult<JobTerminationInput> Parse(Message message) =>
        TerminationMessageParser.Parse(message.Body, Options.MaxMessageBytes, message.MessageId);

    protected override (WorkflowStartRequest Start, string What) StartOf(JobTerminationInput message)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SearchAttributeNames.InstanceId] = message.InstanceId,
        };
        if (message.JobId is { } jobId)
        {
            attributes[SearchAttributeNames.JobId] = jobId.ToString(CultureInfo.InvariantCulture);
        }

        var start = new WorkflowStartRequest(
            JobTerminationIds.WorkflowType, JobTerminationIds.For(message), message, attributes, StartMode.OncePerId);
        return (start, $"{message.Status} of instance {message.InstanceId}");
    }

    protected override IDisposable? BeginScope(ILogger log, JobTerminationInput message, string workflowId) =>
        log.BeginScope("Workflow {WorkflowId} of job {JobId} on instance {InstanceId}", workflowId, message.JobId,
            message.InstanceId);
}
