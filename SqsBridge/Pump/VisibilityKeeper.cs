using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Keeps the messages the pump holds invisible for as long as it holds them: while a start is
/// retried through a Temporal fault, the message must not reappear, be received elsewhere and
/// spend a receive. Most messages are done in milliseconds and never need an extension; the
/// keeper only extends those that have been held for half their visibility timeout, ten per call.</summary>
internal sealed class VisibilityKeeper
{
    // SQS refuses to keep a message invisible longer than 12 hours after its receive.
    private static readonly TimeSpan SqsMaxHold = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<Message,
        DateTimeOffset> _visibleUntil = new(ReferenceEqualityComparer.Instance);
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly TimeSpan _visibility;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public VisibilityKeeper(IAmazonSQS sqs, string queueUrl, TimeSpan visibility, TimeProvider time, ILogger logger)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _visibility = visibility;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often the keeper looks: a quarter of the timeout, so an extension is never late.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(_visibility.Ticks / 4,
        TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public int Held => _visibleUntil.Count;

    /// <summary>Starts holding a message just received (invisible for the queue's timeout from now).</summary>
    public void Hold(Message message) => _visibleUntil[message] = _time.GetUtcNow() + _visibility;

    /// <summary>Stops holding it (deleted, handed back or abandoned).</summary>
    public void Let(Message message) => _visibleUntil.TryRemove(message, out _);

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await ExtendDueAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: whatever is still held comes back by itself after its timeout.
        }
    }

    /// <summary>Extends every held message whose invisibility ends within half a timeout.</summary>
    public async Task ExtendDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = _visibleUntil.Where(h => h.Value - now < _visibility / 2).Select(h => h.Key).ToList();
        foreach (var chunk in due.Chunk(SqsBatcher.SqsBatchLimit))
        {
            try
            {
                var response = await _sqs.ChangeMessageVisibilityBatchAsync(
                    new ChangeMessageVisibilityBatchRequest
                    {
                        QueueUrl = _queueUrl,
                        Entries = [.. chunk.Select((m, i) =>
                            new ChangeMessageVisibilityBatchRequestEntry(BatchEntries.Id(i),
                            m.ReceiptHandle) { VisibilityTimeout = (int)_visibility.TotalSeconds })],
                    },
                    cancellationToken);
                var failed = (response.Failed ?? []).ToDictionary(f => f.Id, StringComparer.Ordinal);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (failed.TryGetValue(BatchEntries.Id(i), out var failure))
                    {
                        // E.g. held past SQS's 12 hour limit: it becomes visible and is received again.
                        _logger.LogWarning("Could not keep message {MessageId} invisible ({Code}: {Error}); it may be "
                            + "received again (SQS holds a message at most {MaxHold})",
                            chunk[i].MessageId, failure.Code, failure.Message, SqsMaxHold);
                    }
                    else if (_visibleUntil.TryGetValue(chunk[i], out var before))
                    {
                        // TryUpdate, so a message let go meanwhile is not held again.
                        _visibleUntil.TryUpdate(chunk[i], now + _visibility, before);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e,
                    "Extending the visibility of {Count} held messages failed; retrying at the next check",
                    chunk.Length);
            }
        }
    }
}
