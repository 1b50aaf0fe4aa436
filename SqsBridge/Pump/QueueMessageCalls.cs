using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>The two batch calls that end the pump's hold on a message: delete (its start is in
/// Temporal's hands) and hand back (visible again at once). Neither throws: a failure is logged
/// and the message simply comes back, where a started one then counts as a duplicate.</summary>
internal sealed class QueueMessageCalls(IAmazonSQS sqs, string queueUrl, string queueKind, ILogger logger)
{
    public Task DeleteAsync(Message[] batch, CancellationToken cancellationToken) =>
        SendAsync(
            batch,
            "delete",
            async () => (await sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. batch.Select((m, i) => new DeleteMessageBatchRequestEntry(BatchEntries.Id(i),
                        m.ReceiptHandle))],
                },
                cancellationToken)).Failed,
            LogLevel.Error,
            "it will be received again and then count as a duplicate");

    public Task HandBackAsync(Message[] batch, CancellationToken cancellationToken) =>
        SendAsync(
            batch,
            "hand back",
            async () => (await sqs.ChangeMessageVisibilityBatchAsync(
                new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. batch.Select((m, i) =>
                        new ChangeMessageVisibilityBatchRequestEntry(BatchEntries.Id(i),
                        m.ReceiptHandle) { VisibilityTimeout = 0 })],
                },
                cancellationToken)).Failed,
            LogLevel.Warning,
            "it returns after its visibility timeout");

    private async Task SendAsync(Message[] batch, string action, Func<Task<List<BatchResultErrorEntry>?>> call,
        LogLevel level, string consequence)
    {
        try
        {
            foreach (var failed in await call() ?? [])
            {
                logger.Log(level, "Could not {Action} {QueueKind} message {MessageId} ({Code}: {Error}); "
                    + "{Consequence}",
                    action, queueKind, BatchEntries.MessageIdOf(batch, failed.Id), failed.Code, failed.Message,
                        consequence);
            }
        }
        catch (Exception e)
        {
            logger.Log(level, e, "Could not {Action} {Count} {QueueKind} messages; for each, {Consequence}", action,
                batch.Length, queueKind, consequence);
        }
    }
}
