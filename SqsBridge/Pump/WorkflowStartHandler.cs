using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>What both queues do with a message: parse it (a rejection ends there), turn it into a
/// workflow start, start it, and say in the log what Temporal answered. Each queue supplies
/// only its parser and its start.</summary>
/// <typeparam name="TMessage">The parsed message.</typeparam>
public abstract class WorkflowStartHandler<TMessage> : IQueueMessageHandler
    where TMessage : class
{
    private readonly IWorkflowStarter _starter;
    private readonly ILogger _logger;

    protected WorkflowStartHandler(IWorkflowStarter starter, BridgeOptions options, ILogger logger)
    {
        _starter = starter;
        Options = options;
        _logger = logger;
    }

    /// <summary>The bridge's settings (the body size limit, ...).</summary>
    protected BridgeOptions Options { get; }

    public abstract string QueueKind { get; }

    public async Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = Parse(message);
        if (parsed.Value is not { } value)
        {
            return MessageOutcome.Reject(parsed.Reason, parsed.Problems[0].Code);
        }

        var (request, what) = StartOf(value);
        using var scope = BeginScope(_logger, value, request.WorkflowId);

        var result = await _starter.StartAsync(request, cancellationToken);
        switch (result.Status)
        {
            case StartStatus.Started:
                _logger.LogInformation("Started {WorkflowType} {WorkflowId} for {QueueKind} message {MessageId}: "
                    + "{What}",
                    request.WorkflowType, result.WorkflowId, QueueKind, message.MessageId, what);
                break;
            case StartStatus.JoinedRunning:
                _logger.LogInformation("{QueueKind} message {MessageId} joined the running sweep {WorkflowId} "
                    + "({WorkflowType}); no second run started",
                    QueueKind, message.MessageId, result.WorkflowId, request.WorkflowType);
                break;
            default:
                _logger.LogInformation("{WorkflowType} {WorkflowId} was already started; {QueueKind} message "
                    + "{MessageId} is a duplicate and is acknowledged",
                    request.WorkflowType, result.WorkflowId, QueueKind, message.MessageId);
                break;
        }

        return MessageOutcome.Answered(result.Status);
    }

    /// <summary>Validates the message body (pure; every problem is a rejection, nothing throws).</summary>
    protected abstract ParseResult<TMessage> Parse(Message message);

    /// <summary>The workflow start a valid message asks for, and a few words on it for the log.</summary>
    protected abstract (WorkflowStartRequest Start, string What) StartOf(TMessage message);

    /// <summary>The logging scope of a valid message's start: its workflow id, and what else identifies it
    /// (fields of the JSON log lines).</summary>
    protected virtual IDisposable? BeginScope(ILogger log, TMessage message, string workflowId) =>
        log.BeginScope("Workflow {WorkflowId}", workflowId);
}
