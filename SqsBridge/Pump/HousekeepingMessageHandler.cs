using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Housekeeping queue: dispatches a trigger to its sweep workflow, joining a running one.</summary>
public sealed class HousekeepingMessageHandler : IQueueMessageHandler
{
    private readonly IWorkflowStarter _starter;
    private readonly BridgeOptions _options;
    private readonly ILogger<HousekeepingMessageHandler> _logger;

    public HousekeepingMessageHandler(IWorkflowStarter starter, BridgeOptions options, ILogger<HousekeepingMessageHandler> logger)
    {
        _starter = starter;
        _options = options;
        _logger = logger;
    }

    public string QueueKind => "housekeeping";

    public async Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = HousekeepingMessageParser.Parse(message.Body, _options.MaxMessageBytes);
        if (parsed.Value is not { } trigger)
        {
            return MessageOutcome.Reject(parsed.Reason);
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RunsFleetSearchAttributes.SweepType.Name] = SweepNames.TaskType(trigger.Kind),
        };
        var request = new WorkflowStartRequest(
            trigger.WorkflowType, SweepNames.WorkflowId(trigger.Kind), trigger.Input, attributes, StartMode.JoinRunning);
        var result = await _starter.StartAsync(request, cancellationToken);
        if (result.Status == StartStatus.Started)
        {
            _logger.LogInformation("Started sweep {WorkflowType} {WorkflowId} for message {MessageId}: {Input}",
                request.WorkflowType, result.WorkflowId, message.MessageId, trigger.Input);
        }
        else
        {
            _logger.LogInformation("Message {MessageId} joined the running sweep {WorkflowId} ({WorkflowType}); no second run started",
                message.MessageId, result.WorkflowId, request.WorkflowType);
        }

        return MessageOutcome.Acknowledge;
    }
}
