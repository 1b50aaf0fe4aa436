using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>
/// Moves the messages of one SQS queue into Temporal starts. The rules that keep it
/// loss-free and duplicate-free:
/// <list type="bullet">
/// <item>A message is deleted only after its start was accepted or found to be a duplicate.</item>
/// <item>An invalid message is never deleted: it is made visible again at once, so the
/// queue's redrive policy moves it to the dead-letter queue after maxReceiveCount receives.</item>
/// <item>When a start fails (Temporal unreachable), the message is made visible again and
/// receiving PAUSES until Temporal answers, so an outage costs each message at most one
/// receive and never pushes valid messages to the dead-letter queue.</item>
/// <item>On stop, receiving ends at once; in-flight starts and their deletes get a bounded
/// grace period; anything unfinished becomes visible again by itself.</item>
/// </list>
/// </summary>
public sealed class SqsQueuePump : BackgroundService
{
    private const string ReceiveCountAttribute = "ApproximateReceiveCount";
    private const int SqsBatchLimit = 10;

    private readonly IAmazonSQS _sqs;
    private readonly IQueueMessageHandler _handler;
    private readonly IWorkflowStarter _starter;
    private readonly BridgeOptions _options;
    private readonly ILogger<SqsQueuePump> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;

    // Held while a receive is outstanding; a batch that pauses the pump takes it before
    // making its messages visible again, so no receive can pick them up during the outage.
    private readonly SemaphoreSlim _receiveGate = new(1, 1);
    private readonly Lock _pauseLock = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    // Cancelled only when the shutdown grace period has passed.
    private readonly CancellationTokenSource _work = new();
    private CancellationTokenSource? _receive;
    private bool _paused;

    public SqsQueuePump(
        IAmazonSQS sqs,
        string queueUrl,
        IQueueMessageHandler handler,
        IWorkflowStarter starter,
        BridgeOptions options,
        ILogger<SqsQueuePump> logger,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sqs = sqs;
        QueueUrl = queueUrl;
        _handler = handler;
        _starter = starter;
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    public string QueueUrl { get; }

    /// <summary>True while receiving is paused because Temporal is unreachable.</summary>
    public bool IsPaused
    {
        get
        {
            lock (_pauseLock)
            {
                return _paused;
            }
        }
    }

    /// <summary>Refuses to start on a queue without a dead-letter queue, then starts pumping.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureDeadLetterQueueAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _work.Dispose();
        _slots.Dispose();
        _receiveGate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.LogInformation("Bridging the {QueueKind} queue {QueueUrl} to Temporal (at most {MaxConcurrency} starts in flight)",
            _handler.QueueKind, QueueUrl, _options.MaxConcurrency);
        var receiveBackoff = _options.BackoffInitial;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (IsPaused)
                {
                    await WaitForTemporalAsync(stoppingToken);
                    continue;
                }

                var slots = await AcquireSlotsAsync(stoppingToken);
                List<Message> messages;
                try
                {
                    messages = await ReceiveAsync(slots, stoppingToken);
                    receiveBackoff = _options.BackoffInitial;
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // A batch paused the pump while this long poll was waiting.
                    _slots.Release(slots);
                    continue;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _slots.Release(slots);
                    _logger.LogError(e, "Receiving from the {QueueKind} queue {QueueUrl} failed; retrying in {Delay}", _handler.QueueKind, QueueUrl, receiveBackoff);
                    await Task.Delay(receiveBackoff, _time, stoppingToken);
                    receiveBackoff = Next(receiveBackoff);
                    continue;
                }

                if (messages.Count < slots)
                {
                    _slots.Release(slots - messages.Count);
                }

                if (messages.Count > 0)
                {
                    Track(ProcessBatchAsync(messages));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested: the long poll or a wait was cancelled; nothing was received by it.
        }

        await DrainAsync();
    }

    private async Task EnsureDeadLetterQueueAsync(CancellationToken cancellationToken)
    {
        var response = await _sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = QueueUrl, AttributeNames = ["RedrivePolicy", "VisibilityTimeout"] },
            cancellationToken);
        var attributes = response.Attributes ?? [];
        if (!attributes.TryGetValue("RedrivePolicy", out var redrivePolicy) || string.IsNullOrWhiteSpace(redrivePolicy))
        {
            throw new BridgeStartupException(
                $"The {_handler.QueueKind} queue {QueueUrl} has no RedrivePolicy. Without a dead-letter queue an invalid " +
                "message would be received again forever; give the queue a RedrivePolicy (deadLetterTargetArn, maxReceiveCount) and restart.");
        }

        _logger.LogInformation("The {QueueKind} queue {QueueUrl} sends messages it cannot deliver to {RedrivePolicy}; visibility timeout {VisibilityTimeout} s",
            _handler.QueueKind, QueueUrl, redrivePolicy, attributes.GetValueOrDefault("VisibilityTimeout"));
    }

    // Takes one slot (waiting if all are busy) plus any free ones up to a receive batch,
    // so no more messages are held than can be started at once.
    private async Task<int> AcquireSlotsAsync(CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken);
        var slots = 1;
        while (slots < SqsBatchLimit && _slots.Wait(0, CancellationToken.None))
        {
            slots++;
        }

        return slots;
    }

    private async Task<List<Message>> ReceiveAsync(int count, CancellationToken stoppingToken)
    {
        await _receiveGate.WaitAsync(stoppingToken);
        try
        {
            CancellationTokenSource receive;
            lock (_pauseLock)
            {
                if (_paused)
                {
                    return [];
                }

                receive = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _receive = receive;
            }

            try
            {
                var response = await _sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = QueueUrl,
                        MaxNumberOfMessages = count,
                        WaitTimeSeconds = _options.ReceiveWaitSeconds,
                        MessageSystemAttributeNames = [ReceiveCountAttribute],
                    },
                    receive.Token);
                return response.Messages ?? [];
            }
            finally
            {
                lock (_pauseLock)
                {
                    _receive = null;
                }

                receive.Dispose();
            }
        }
        finally
        {
            _receiveGate.Release();
        }
    }

    private void Track(Task batch)
    {
        _inFlight[batch] = 0;
        _ = batch.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ProcessBatchAsync(List<Message> messages)
    {
        try
        {
            var results = await Task.WhenAll(messages.Select(HandleAsync));
            await DeleteAsync([.. results.Where(r => r.Kind == ResultKind.Acknowledged).Select(r => r.Message)]);

            var rejected = results.Where(r => r.Kind == ResultKind.Rejected).ToList();
            foreach (var result in rejected)
            {
                _logger.LogWarning("Rejected {QueueKind} message {MessageId} (receive count {ReceiveCount}): {Reason}. It is not deleted; the queue's redrive policy moves it to the dead-letter queue",
                    _handler.QueueKind, result.Message.MessageId, ReceiveCount(result.Message), result.Reason);
            }

            await MakeVisibleAsync(rejected.Select(r => r.Message).ToList());

            var unstarted = results.Where(r => r.Kind == ResultKind.Unavailable).Select(r => r.Message).ToList();
            if (unstarted.Count > 0)
            {
                await ReturnDuringOutageAsync(unstarted);
            }

            var abandoned = results.Count(r => r.Kind == ResultKind.Abandoned);
            if (abandoned > 0)
            {
                _logger.LogWarning("{Count} {QueueKind} messages were not finished before shutdown; they become visible again after their visibility timeout",
                    abandoned, _handler.QueueKind);
            }
        }
        catch (Exception e)
        {
            // Deletes or visibility changes failed (SQS trouble or shutdown): the messages
            // stay in the queue and come back; a started one then counts as a duplicate.
            _logger.LogError(e, "Finishing a batch of {Count} {QueueKind} messages failed; unfinished messages will be received again", messages.Count, _handler.QueueKind);
        }
        finally
        {
            _slots.Release(messages.Count);
        }
    }

    private async Task<HandleResult> HandleAsync(Message message)
    {
        try
        {
            var outcome = await _handler.HandleAsync(message, _work.Token);
            return outcome.Acknowledged
                ? new HandleResult(message, ResultKind.Acknowledged, null)
                : new HandleResult(message, ResultKind.Rejected, outcome.Reason);
        }
        catch (OperationCanceledException) when (_work.IsCancellationRequested)
        {
            return new HandleResult(message, ResultKind.Abandoned, null);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not start the workflow of {QueueKind} message {MessageId} (receive count {ReceiveCount}); keeping the message and pausing until Temporal is reachable",
                _handler.QueueKind, message.MessageId, ReceiveCount(message));
            return new HandleResult(message, ResultKind.Unavailable, null);
        }
    }

    private async Task ReturnDuringOutageAsync(List<Message> messages)
    {
        lock (_pauseLock)
        {
            if (!_paused)
            {
                _logger.LogWarning("Temporal is unreachable: pausing receives from the {QueueKind} queue {QueueUrl}; nothing is deleted", _handler.QueueKind, QueueUrl);
            }

            _paused = true;
            _receive?.Cancel();
        }

        // Wait for any outstanding receive to end first, so these messages cannot be
        // received again (and spend a receive) before Temporal is back.
        await _receiveGate.WaitAsync(_work.Token);
        try
        {
            await MakeVisibleAsync(messages);
        }
        finally
        {
            _receiveGate.Release();
        }
    }

    private async Task WaitForTemporalAsync(CancellationToken stoppingToken)
    {
        var delay = _options.BackoffInitial;
        while (true)
        {
            await Task.Delay(delay, _time, stoppingToken);
            if (await _starter.IsReachableAsync(stoppingToken))
            {
                break;
            }

            delay = Next(delay);
            _logger.LogWarning("Temporal is still unreachable; {QueueKind} queue paused, next check in {Delay}", _handler.QueueKind, delay);
        }

        lock (_pauseLock)
        {
            _paused = false;
        }

        _logger.LogInformation("Temporal is reachable again: resuming receives from the {QueueKind} queue {QueueUrl}", _handler.QueueKind, QueueUrl);
    }

    private TimeSpan Next(TimeSpan delay)
    {
        var doubled = delay * 2;
        return doubled > _options.BackoffMax ? _options.BackoffMax : doubled;
    }

    private async Task DeleteAsync(List<Message> messages)
    {
        foreach (var chunk in messages.Chunk(SqsBatchLimit))
        {
            var response = await _sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = QueueUrl,
                    Entries = [.. chunk.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle))],
                },
                _work.Token);
            foreach (var failed in response.Failed ?? [])
            {
                _logger.LogError("Deleting {QueueKind} message {MessageId} failed ({Code}: {Error}); it will be received again and then count as a duplicate",
                    _handler.QueueKind, MessageIdOf(chunk, failed.Id), failed.Code, failed.Message);
            }
        }
    }

    private async Task MakeVisibleAsync(List<Message> messages)
    {
        foreach (var chunk in messages.Chunk(SqsBatchLimit))
        {
            var response = await _sqs.ChangeMessageVisibilityBatchAsync(
                new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = QueueUrl,
                    Entries = [.. chunk.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry($"m{i}", m.ReceiptHandle) { VisibilityTimeout = 0 })],
                },
                _work.Token);
            foreach (var failed in response.Failed ?? [])
            {
                _logger.LogWarning("Making {QueueKind} message {MessageId} visible again failed ({Code}: {Error}); it returns after its visibility timeout",
                    _handler.QueueKind, MessageIdOf(chunk, failed.Id), failed.Code, failed.Message);
            }
        }
    }

    private async Task DrainAsync()
    {
        var pending = _inFlight.Keys.ToArray();
        if (pending.Length == 0)
        {
            _logger.LogInformation("Stopped bridging the {QueueKind} queue", _handler.QueueKind);
            return;
        }

        _logger.LogInformation("Stopping: waiting up to {Grace} for {Count} in-flight {QueueKind} batches", _options.ShutdownGrace, pending.Length, _handler.QueueKind);
        var all = Task.WhenAll(pending);
        if (await Task.WhenAny(all, Task.Delay(_options.ShutdownGrace, _time)) != all)
        {
            _logger.LogWarning("Shutdown grace of {Grace} elapsed; cancelling unfinished {QueueKind} starts (their messages are not deleted)", _options.ShutdownGrace, _handler.QueueKind);
            await _work.CancelAsync();
            await all;
        }

        _logger.LogInformation("Stopped bridging the {QueueKind} queue", _handler.QueueKind);
    }

    // Batch entry ids are "m{index in chunk}".
    private static string? MessageIdOf(Message[] chunk, string? entryId) =>
        entryId is ['m', .. var index] && int.TryParse(index, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < chunk.Length
            ? chunk[i].MessageId
            : entryId;

    private static string ReceiveCount(Message message) =>
        message.Attributes?.GetValueOrDefault(ReceiveCountAttribute) ?? "?";

    private enum ResultKind
    {
        Acknowledged,
        Rejected,
        Unavailable,
        Abandoned,
    }

    private sealed record HandleResult(Message Message, ResultKind Kind, string? Reason);
}
