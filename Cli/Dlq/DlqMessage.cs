using System.Globalization;
using Amazon.SQS.Model;

namespace RunsFleet.Cli.Dlq;

/// <summary>One message read from a dead-letter queue, with what SQS says about it and what the bridge's
/// parser says about its body now.</summary>
/// <param name="MessageId">The SQS message id (kept when SQS moved it to the DLQ).</param>
/// <param name="ReceiptHandle">Handle of this read (to hand it back or delete it).</param>
/// <param name="Body">The body as sent.</param>
/// <param name="GroupId">MessageGroupId (FIFO, or a standard queue's fair-queuing group), if any.</param>
/// <param name="DeduplicationId">MessageDeduplicationId (FIFO), if any.</param>
/// <param name="ReceiveCount">ApproximateReceiveCount, this read included.</param>
/// <param name="SentAt">When it was first sent (SentTimestamp), if SQS said.</param>
/// <param name="Attributes">The message attributes, passed on when it is redriven.</param>
/// <param name="Verdict">"valid" or the bridge's first rejection code.</param>
internal sealed record DlqMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    string? GroupId,
    string? DeduplicationId,
    int ReceiveCount,
    DateTimeOffset? SentAt,
    IReadOnlyDictionary<string, MessageAttributeValue> Attributes,
    DlqVerdict Verdict)
{
    /// <summary>Reads <paramref name="message"/>'s system attributes and classifies its body.</summary>
    public static DlqMessage From(Message message, DlqClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(classifier);
        var system = message.Attributes ?? [];
        var body = message.Body ?? string.Empty;
        return new DlqMessage(
            message.MessageId,
            message.ReceiptHandle,
            body,
            system.GetValueOrDefault("MessageGroupId"),
            system.GetValueOrDefault("MessageDeduplicationId"),
            int.TryParse(system.GetValueOrDefault("ApproximateReceiveCount"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var count) ? count : 0,
            long.TryParse(system.GetValueOrDefault("SentTimestamp"), NumberStyles.None, CultureInfo.InvariantCulture,
                out var sent)
                ? DateTimeOffset.FromUnixTimeMilliseconds(sent)
                : null,
            message.MessageAttributes ?? [],
            classifier.Classify(body));
    }
}
