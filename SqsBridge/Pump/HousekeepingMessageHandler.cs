using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Housekeeping queue: dispatches a trigger to its sweep workflow, joining a running one.</summary>
internal sealed class HousekeepingMessageHandler(IWorkflowStarter starter, BridgeOptions options,
    ILogger<HousekeepingMessageHandler> logger)
    : WorkflowStartHandler<HousekeepingTrigger>(starter, options, logger)
{
    public override string QueueKind => "housekeeping";

    protected override ParseResult<HousekeepingTrigger> Parse(Message message) =>
        HousekeepingMessageParser.Parse(message.Body, Options.MaxMessageBytes);

    protected override (WorkflowStartRequest Start, string What) StartOf(HousekeepingTrigger message) =>
        (SweepStarts.For(message), $"sweep {message.Input}");

    protected override IDisposable? BeginScope(ILogger log, HousekeepingTrigger message, string workflowId) =>
        log.BeginScope("Workflow {WorkflowId} of sweep {SweepType}", workflowId, SweepNames.TaskType(message.Kind));
}
