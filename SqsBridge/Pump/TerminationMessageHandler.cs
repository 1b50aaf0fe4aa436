using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Termination queue: one JobTermination workflow per job end, id from the job and instance.</summary>
public sealed class TerminationMessageHandler : IQueueMessageHandler
{
    private readonly IWorkflowStarter _starter;
    private readonly BridgeOptions _options;
    private readonly ILogger<TerminationMessageHandler> _logger;

    public TerminationMessageHandler(IWorkflowStarter starter, BridgeOptions options, ILogger<TerminationMessageHandler> logger)
    {
        _starter = starter;
        _options = options;
        _logger = logger;
    }

    public string QueueKind => "termination";

    public async Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = TerminationMessageParser.Parse(message.Body, _options.MaxMessageBytes, message.MessageId);
        if (parsed.Value is not { } input)
        {
            return MessageOutcome.Reject(parsed.Reason);
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RunsFleetSearchAttributes.InstanceId.Name] = input.InstanceId,
        };
        if (input.JobId is { } jobId)
        {
            attributes[RunsFleetSearchAttributes.JobId.Name] = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var request = new WorkflowStartRequest(
            JobTerminationIds.WorkflowType, JobTerminationIds.For(input), input, attributes, StartMode.OncePerId);
        var result = await _starter.StartAsync(request, cancellationToken);
        if (result.Status == StartStatus.Started)
        {
            _logger.LogInformation("Started {WorkflowType} {WorkflowId} for message {MessageId} ({Status} of instance {InstanceId})",
                request.WorkflowType, result.WorkflowId, message.MessageId, input.Status, input.InstanceId);
        }
        else
        {
            _logger.LogInformation("{WorkflowType} {WorkflowId} was already started; message {MessageId} is a duplicate and is acknowledged",
                request.WorkflowType, result.WorkflowId, message.MessageId);
        }

        return MessageOutcome.Acknowledge;
    }
}
