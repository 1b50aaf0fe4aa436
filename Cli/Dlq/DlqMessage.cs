using System.Globalization;
using Amazon.SQS.Model;

namespace RunsFleet.Cli.Dlq;

/// <summary>One message read from a dead-letter queue, with what SQS says about it and what the bridge's
/// parser says about its body now.</summary>
internal sealed record DlqMessage
{
    /// <summary>The SQS message id (kept when SQS moved it to the DLQ).</summary>
    public required string MessageId { get; init; }

    /// <summary>Handle of this read (to hand it back or delete it).</summary>
    public required string ReceiptHandle { get; init; }

    /// <summary>The body as sent.</summary>
    public required string Body { get; init; }

    /// <summary>MessageGroupId (FIFO, or a standard queue's fair-queuing group), if any.</summary>
    public required string? GroupId { get; init; }

    /// <summary>MessageDeduplicationId (FIFO), if any.</summary>
    public required string? DeduplicationId { get; init; }

    /// <summary>ApproximateReceiveCount, this read included.</summary>
    public required int ReceiveCount { get; init; }

    /// <summary>When it was first sent (SentTimestamp), if SQS said.</summary>
    public required DateTimeOffset? SentAt { get; init; }

    /// <summary>The message attributes, passed on when it is redriven.</summary>
    public required IReadOnlyDictionary<string, MessageAttributeValue> Attributes { get; init; }

    /// <summary>"valid" or the bridge's first rejection code.</summary>
    public required DlqVerdict Verdict { get; init; }

    /// <summary>Reads <paramref name="message"/>'s system attributes and classifies its body.</summary>
    public static DlqMessage From(Message message, DlqClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(classifier);
        var system = message.Attributes ?? [];
        var body = message.Body ?? string.Empty;
        return new DlqMessage
        {
            MessageId = message.MessageId,
            ReceiptHandle = message.ReceiptHandle,
            Body = body,
            GroupId = system.GetValueOrDefault("MessageGroupId"),
            DeduplicationId = system.GetValueOrDefault("MessageDeduplicationId"),
            ReceiveCount = int.TryParse(system.GetValueOrDefault("ApproximateReceiveCount"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var count) ? count : 0,
            SentAt = long.TryParse(system.GetValueOrDefault("SentTimestamp"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var sent) ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
            Attributes = message.MessageAttributes ?? [],
            Verdict = classifier.Classify(body),
        };
    }
}
