using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Cli.Dlq;

/// <summary>Reads a dead-letter queue without losing anything: every message received stays hidden
/// while the command works and is handed back (visible again at once) when the reader is
/// disposed — also after an error or Ctrl+C — unless the command deleted it (<see cref="Forget"/>).
/// A process killed outright leaves them hidden for <see cref="HoldSeconds"/>, then SQS shows them again.</summary>
internal sealed class DlqReader(IAmazonSQS sqs, DeadLetterQueue dlq, DlqClassifier classifier, TextWriter notes)
    : IAsyncDisposable
{
    /// <summary>How long a read message stays hidden: long enough for a bounded command, short enough after a
    /// crash.</summary>
    public const int HoldSeconds = 300;

    private const int BatchSize = 10;

    private readonly Dictionary<string, DlqMessage> _held = new(StringComparer.Ordinal);

    /// <summary>Messages received so far and neither deleted nor handed back.</summary>
    public int HeldCount => _held.Count;

    /// <summary>Messages read over the reader's life (each id once).</summary>
    public int ReadCount { get; private set; }

    /// <summary>Receives batches of 10 until the queue answers none or <paramref name="max"/> messages were
    /// read in total; returns the new ones (a message seen before is not returned twice). On a FIFO
    /// queue SQS shows no further message of a group while one of it is hidden here.</summary>
    public async Task<IReadOnlyList<DlqMessage>> ReadAsync(int max, CancellationToken cancellationToken)
    {
        var read = new List<DlqMessage>();
        while (ReadCount < max)
        {
            var response = await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = dlq.Url,
                    MaxNumberOfMessages = Math.Min(BatchSize, max - ReadCount),
                    VisibilityTimeout = HoldSeconds,
                    // A short long-poll: asks every SQS server (a 0 s poll samples a few and may answer "none" early).
                    WaitTimeSeconds = 1,
                    MessageSystemAttributeNames = ["All"],
                    MessageAttributeNames = ["All"],
                },
                cancellationToken).ConfigureAwait(false);
            var messages = response.Messages ?? [];
            if (messages.Count == 0)
            {
                break;
            }

            foreach (var message in messages)
            {
                var fresh = !_held.ContainsKey(message.MessageId);
                var dlqMessage = DlqMessage.From(message, classifier);
                _held[message.MessageId] = dlqMessage;
                if (fresh)
                {
                    ReadCount++;
                    read.Add(dlqMessage);
                }
            }
        }

        return read;
    }

    /// <summary>Stops holding <paramref name="messages"/> (they were deleted).</summary>
    public void Forget(IEnumerable<DlqMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            _held.Remove(message.MessageId);
        }
    }

    /// <summary>Messages still in the queue and visible (not read: over --max, or behind a held message of the same
    /// FIFO group).</summary>
    public async Task<int> VisibleCountAsync(CancellationToken cancellationToken)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(dlq.Url, ["ApproximateNumberOfMessages"],
            cancellationToken).ConfigureAwait(false)).Attributes ?? [];
        return int.TryParse(attributes.GetValueOrDefault("ApproximateNumberOfMessages"), NumberStyles.None,
            CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>Hands every held message back (visibility 0), 10 per call, even when the command was
    /// cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        var failed = 0;
        string? why = null;
        foreach (var batch in _held.Values.Chunk(BatchSize))
        {
            try
            {
                var response = await sqs.ChangeMessageVisibilityBatchAsync(
                    new ChangeMessageVisibilityBatchRequest
                    {
                        QueueUrl = dlq.Url,
                        Entries = [.. batch.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry(EntryId(i),
                            m.ReceiptHandle) { VisibilityTimeout = 0 })],
                    },
                    CancellationToken.None).ConfigureAwait(false);
                failed += response.Failed?.Count ?? 0;
                why ??= response.Failed?.FirstOrDefault()?.Message;
            }
            catch (Exception e)
                when (e is AmazonSQSException or Amazon.Runtime.AmazonClientException or HttpRequestException)
            {
                failed += batch.Length;
                why ??= e.Message;
            }
        }

        _held.Clear();
        if (failed > 0)
        {
            await notes.WriteLineAsync(
                $"runs-fleet: note: {failed} message(s) of {dlq.Name} could not be handed back ({why}); SQS shows "
                    + $"them again after {HoldSeconds} s").ConfigureAwait(false);
        }
    }

    /// <summary>Entry id of the <paramref name="index"/>th message of a batch call.</summary>
    public static string EntryId(int index) => "m" + index.ToString(CultureInfo.InvariantCulture);
}
