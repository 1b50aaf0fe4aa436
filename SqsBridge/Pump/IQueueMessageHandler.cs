using Amazon.SQS.Model;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Turns one message of a queue kind into a workflow start.</summary>
public interface IQueueMessageHandler
{
    /// <summary>Name of the queue kind for logs ("termination", "housekeeping").</summary>
    string QueueKind { get; }

    /// <summary>Validates the message and starts its workflow. Returns <see cref="MessageOutcome.Acknowledge"/>
    /// once the start is accepted (or a duplicate / joined), <see cref="MessageOutcome.Reject"/>
    /// with a reason for an invalid message. Throws when the start could not be made
    /// (Temporal unreachable): the pump keeps the message and backs off.</summary>
    Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken);
}

/// <summary>What the pump does with a handled message, and what it counts it as.</summary>
/// <param name="Acknowledged">True: delete it. False: leave it for the dead-letter queue.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="Status">Temporal's answer to an acknowledged message's start, when there was one.</param>
/// <param name="Code">The rejection's code (its first problem's), the tag of the rejection count.</param>
public sealed record MessageOutcome(bool Acknowledged, string? Reason, StartStatus? Status = null,
    RejectionCode? Code = null)
{
    public static MessageOutcome Acknowledge { get; } = new(true, null);

    /// <summary>Acknowledged because Temporal answered the start with <paramref name="status"/>.</summary>
    public static MessageOutcome Answered(StartStatus status) => new(true, null, status);

    public static MessageOutcome Reject(string reason, RejectionCode? code = null) => new(false, reason, null, code);
}
