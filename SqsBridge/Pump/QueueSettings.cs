using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>What the pump must know about its queue before it takes a message: whether it is FIFO
/// (ordered groups, receive attempt ids), how long a received message stays invisible, and
/// after how many receives the redrive policy moves a message to the dead-letter queue.</summary>
/// <param name="IsFifo">FifoQueue attribute.</param>
/// <param name="VisibilityTimeout">The queue's default visibility timeout (at least 1 s).</param>
/// <param name="MaxReceiveCount">maxReceiveCount of the RedrivePolicy.</param>
/// <param name="RedrivePolicy">The raw policy, for the start-up log.</param>
public sealed record QueueSettings(bool IsFifo, TimeSpan VisibilityTimeout, int MaxReceiveCount, string RedrivePolicy)
{
    /// <summary>Receive count from which a valid message is never handed back: one receive short of
    /// the redrive, so one more unlucky receive (a crash, a restart) still cannot dead-letter it.</summary>
    public int HoldFromReceiveCount => Math.Max(1, MaxReceiveCount - 1);

    /// <summary>Reads the attributes; a queue without a usable RedrivePolicy is refused.</summary>
    public static async Task<QueueSettings> ReadAsync(IAmazonSQS sqs, string queueUrl, string queueKind,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        var response = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["RedrivePolicy", "VisibilityTimeout",
                "FifoQueue"] },
            cancellationToken);
        return From(response.Attributes ?? [], queueUrl, queueKind);
    }

    /// <summary>Pure part of <see cref="ReadAsync"/>.</summary>
    public static QueueSettings From(IReadOnlyDictionary<string, string> attributes, string queueUrl, string queueKind)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!attributes.TryGetValue("RedrivePolicy", out var redrivePolicy) || string.IsNullOrWhiteSpace(redrivePolicy))
        {
            throw new BridgeStartupException(
                $"The {queueKind} queue {queueUrl} has no RedrivePolicy. Without a dead-letter queue an invalid " +
                "message would be received again forever; give the queue a RedrivePolicy (deadLetterTargetArn, "
                    + "maxReceiveCount) and restart.");
        }

        var maxReceiveCount = MaxReceiveCountOf(redrivePolicy)
            ?? throw new BridgeStartupException($"The {queueKind} queue {queueUrl} has a RedrivePolicy without a "
                + $"positive maxReceiveCount: {redrivePolicy}");
        var isFifo = attributes.TryGetValue("FifoQueue", out var fifo) && string.Equals(fifo, "true",
            StringComparison.OrdinalIgnoreCase);
        var seconds = attributes.TryGetValue("VisibilityTimeout", out var visibility)
            && int.TryParse(visibility, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 30;
        return new QueueSettings(isFifo, TimeSpan.FromSeconds(Math.Max(1, seconds)), maxReceiveCount, redrivePolicy);
    }

    // SQS returns maxReceiveCount as a number; some tools write it as a string.
    private static int? MaxReceiveCountOf(string redrivePolicy)
    {
        try
        {
            using var policy = JsonDocument.Parse(redrivePolicy);
            if (policy.RootElement.ValueKind != JsonValueKind.Object
                || !policy.RootElement.TryGetProperty("maxReceiveCount", out var value))
            {
                return null;
            }

            int? count = value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var number) => number,
                JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None,
                    CultureInfo.InvariantCulture, out var text) => text,
                _ => null,
            };
            return count > 0 ? count : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
