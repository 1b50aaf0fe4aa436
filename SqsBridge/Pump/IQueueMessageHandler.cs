using Amazon.SQS.Model;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Turns one message of a queue kind into a workflow start.</summary>
public interface IQueueMessageHandler
{
    /// <summary>Name of the queue kind for logs ("termination", "housekeeping").</summary>
    string QueueKind { get; }

    /// <summary>
    /// Validates the message and starts its workflow. Returns <see cref="MessageOutcome.Acknowledge"/>
    /// once the start is accepted (or a duplicate / joined), <see cref="MessageOutcome.Reject"/>
    /// with a reason for an invalid message. Throws when the start could not be made
    /// (Temporal unreachable): the pump keeps the message and backs off.
    /// </summary>
    Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken);
}

/// <summary>What the pump does with a handled message.</summary>
/// <param name="Acknowledged">True: delete it. False: leave it for the dead-letter queue.</param>
/// <param name="Reason">Why it was rejected.</param>
public sealed record MessageOutcome(bool Acknowledged, string? Reason)
{
    public static MessageOutcome Acknowledge { get; } = new(true, null);

    public static MessageOutcome Reject(string reason) => new(false, reason);
}
