using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// The baseline: the least work a consumer can do per message. One loop, receive 10 with a long
/// poll, delete them with one DeleteMessageBatch, repeat: 0.2 requests per message.
/// </summary>
internal static class RawConsumer
{
    public static async Task<int> ConsumeAsync(IAmazonSQS sqs, string queueUrl, int count, CancellationToken cancellationToken)
    {
        var consumed = 0;
        while (consumed < count)
        {
            var received = (await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 20 },
                cancellationToken)).Messages ?? [];
            if (received.Count == 0)
            {
                continue;
            }

            var deleted = await sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. received.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle))],
                },
                cancellationToken);
            if (deleted.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"Raw consumer: deleting failed for {failed.Count} messages, e.g. {failed[0].Code}: {failed[0].Message}");
            }

            consumed += received.Count;
        }

        return consumed;
    }
}
