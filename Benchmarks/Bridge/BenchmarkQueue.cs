using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// A termination queue of one kind with its dead-letter queue (RedrivePolicy, 3 receives), as the
/// infrastructure creates it: the bridge refuses a queue without one.
/// </summary>
internal sealed record BenchmarkQueue(QueueKind Kind, string Url, string DeadLetterUrl)
{
    private const int MaxReceiveCount = 3;

    /// <summary>What the output calls it: the kind ("standard", "fifo") unless given another name.</summary>
    public string Name { get; init; } = Kind == QueueKind.Fifo ? "fifo" : "standard";

    public static async Task<BenchmarkQueue> CreateAsync(IAmazonSQS sqs, QueueKind kind, CancellationToken cancellationToken)
    {
        var suffix = kind == QueueKind.Fifo ? ".fifo" : string.Empty;
        var stem = $"bench-termination-{(kind == QueueKind.Fifo ? "fifo" : "std")}-{Guid.NewGuid().ToString("N")[..8]}";

        var deadLetterUrl = (await sqs.CreateQueueAsync(
            new CreateQueueRequest { QueueName = $"{stem}-dlq{suffix}", Attributes = KindAttributes(kind) },
            cancellationToken)).QueueUrl;
        var deadLetterArn = (await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = deadLetterUrl, AttributeNames = ["QueueArn"] },
            cancellationToken)).QueueARN;

        var attributes = KindAttributes(kind);
        attributes["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["deadLetterTargetArn"] = deadLetterArn,
            ["maxReceiveCount"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
        });
        var url = (await sqs.CreateQueueAsync(
            new CreateQueueRequest { QueueName = $"{stem}{suffix}", Attributes = attributes },
            cancellationToken)).QueueUrl;
        return new BenchmarkQueue(kind, url, deadLetterUrl);
    }

    /// <summary>Visible + in flight + delayed messages of the queue (or of its DLQ).</summary>
    public static async Task<long> CountAsync(IAmazonSQS sqs, string queueUrl, CancellationToken cancellationToken)
    {
        var response = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest
            {
                QueueUrl = queueUrl,
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
            },
            cancellationToken);
        return (long)response.ApproximateNumberOfMessages
            + response.ApproximateNumberOfMessagesNotVisible
            + response.ApproximateNumberOfMessagesDelayed;
    }

    private static Dictionary<string, string> KindAttributes(QueueKind kind) => kind == QueueKind.Fifo
        ? new(StringComparer.Ordinal) { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" }
        : new(StringComparer.Ordinal);
}
