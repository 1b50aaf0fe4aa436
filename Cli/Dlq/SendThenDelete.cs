using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Cli.Dlq;

/// <summary>What a send-then-delete redrive did.</summary>
internal sealed class RedriveCounts
{
    public int Chosen { get; set; }

    public int Moved { get; set; }

    public int Resumed { get; set; }

    public int NotSent { get; set; }

    public int NotDeleted { get; set; }

    public int NotChosen { get; set; }

    public int Failed => NotSent + NotDeleted;
}

/// <summary>Moves the chosen messages of a dead-letter queue back to their source queue one batch at a
/// time: send (FIFO: same group, deduplication id from the DLQ message id; message attributes
/// kept), journal "sent", delete from the DLQ, journal "deleted". Messages not chosen stay held
/// until the reader hands them back. Reads again after each round, because on a FIFO queue the
/// next message of a group only shows once the one before it is gone.</summary>
internal sealed class SendThenDelete(
    IAmazonSQS sqs, DeadLetterQueue dlq, DlqReader reader, RedriveJournal? journal, RedriveProgress progress)
{
    /// <summary>SQS's limit on the bodies and attributes of one SendMessageBatch (the classic 256 KiB).</summary>
    public const int MaxBatchBytes = 256 * 1024;

    private const int BatchSize = 10;

    public RedriveCounts Counts { get; } = new();

    /// <summary>Moves every message <paramref name="chosen"/> accepts among at most <paramref name="max"/> read; with
    /// no journal, a dry run.</summary>
    public async Task RunAsync(Func<DlqMessage, bool> chosen, int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(max, cancellationToken).ConfigureAwait(false);
            if (read.Count == 0)
            {
                return;
            }

            var resumed = read.Where(m => journal?.WasSent(m.MessageId) == true).ToList();
            var fresh = read.Where(m => journal?.WasSent(m.MessageId) != true && chosen(m)).ToList();
            Counts.Chosen += resumed.Count + fresh.Count;
            Counts.NotChosen += read.Count - resumed.Count - fresh.Count;
            progress.Expect(resumed.Count + fresh.Count);
            if (journal is null)
            {
                fresh.ForEach(progress.WouldMove);
                continue;
            }

            foreach (var batch in resumed.Chunk(BatchSize))
            {
                await DeleteAsync(batch, resumed: true, cancellationToken).ConfigureAwait(false);
            }

            foreach (var batch in Batches(fresh))
            {
                var sent = await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(sent, resumed: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>At most 10 messages and <see cref="MaxBatchBytes"/> per batch; a bigger message goes alone (and SQS
    /// says why it refuses it).</summary>
    public static IEnumerable<IReadOnlyList<DlqMessage>> Batches(IEnumerable<DlqMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batch = new List<DlqMessage>();
        var bytes = 0;
        foreach (var message in messages)
        {
            var size = Size(message);
            if (batch.Count == BatchSize || (batch.Count > 0 && bytes + size > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(message);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>The deduplication id of a redriven FIFO message: a resend within 5 minutes is dropped by SQS.</summary>
    public static string DeduplicationId(DlqMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return "redrive-" + message.MessageId;
    }

    private async Task<IReadOnlyList<DlqMessage>> SendAsync(IReadOnlyList<DlqMessage> batch,
        CancellationToken cancellationToken)
    {
        var response = await sqs.SendMessageBatchAsync(
            new SendMessageBatchRequest
            {
                QueueUrl = dlq.SourceUrl,
                Entries = [.. batch.Select((m, i) => Entry(m, i))],
            },
            cancellationToken).ConfigureAwait(false);
        var sent = Pick(batch, response.Successful?.Select(s => s.Id));
        foreach (var failed in response.Failed ?? [])
        {
            Counts.NotSent++;
            progress.Failed(Pick(batch, [failed.Id])[0],
                $"the source queue refused it ({failed.Code}: {failed.Message}); it stays in the DLQ");
        }

        journal!.Record(RedriveJournal.Sent, sent);
        return sent;
    }

    private async Task DeleteAsync(IReadOnlyList<DlqMessage> batch, bool resumed, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var response = await sqs.DeleteMessageBatchAsync(
            new DeleteMessageBatchRequest
            {
                QueueUrl = dlq.Url,
                Entries = [.. batch.Select((m, i) => new DeleteMessageBatchRequestEntry(DlqReader.EntryId(i),
                    m.ReceiptHandle))],
            },
            cancellationToken).ConfigureAwait(false);
        var deleted = Pick(batch, response.Successful?.Select(s => s.Id));
        journal!.Record(RedriveJournal.Deleted, deleted);
        reader.Forget(deleted);
        foreach (var message in deleted)
        {
            if (resumed)
            {
                Counts.Resumed++;
            }
            else
            {
                Counts.Moved++;
            }

            progress.Moved(message, resumed);
        }

        foreach (var failed in response.Failed ?? [])
        {
            Counts.NotDeleted++;
            progress.Failed(Pick(batch, [failed.Id])[0],
                $"in the source queue but not deleted from the DLQ ({failed.Code}: {failed.Message}); run again to "
                + $"delete it");
        }
    }

    private SendMessageBatchRequestEntry Entry(DlqMessage message, int index)
    {
        var entry = new SendMessageBatchRequestEntry(DlqReader.EntryId(index), message.Body);
        if (message.Attributes.Count > 0)
        {
            entry.MessageAttributes = message.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        }

        if (dlq.IsFifo)
        {
            // Every FIFO message has a group; the fallback only guards a queue that somehow lost it.
            entry.MessageGroupId = message.GroupId ?? message.MessageId;
            entry.MessageDeduplicationId = DeduplicationId(message);
        }

        return entry;
    }

    private static List<DlqMessage> Pick(IReadOnlyList<DlqMessage> batch, IEnumerable<string>? entryIds) =>
        [.. (entryIds ?? []).Select(id => int.Parse(id.AsSpan(1),
            System.Globalization.CultureInfo.InvariantCulture)).Order().Select(i => batch[i])];

    private static int Size(DlqMessage message) =>
        Encoding.UTF8.GetByteCount(message.Body)
        + message.Attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + (a.Value.DataType?.Length ?? 0)
            + Encoding.UTF8.GetByteCount(a.Value.StringValue ?? string.Empty)
            + (int)(a.Value.BinaryValue?.Length ?? 0));
}
