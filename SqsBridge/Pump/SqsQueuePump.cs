using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Moves the messages of one SQS queue into Temporal starts. The rules that keep it loss-free
/// (SqsBridge/README.md lists each with the test that proves it):
/// <list type="bullet">
/// <item>A message is deleted only after its start was accepted or found to be a duplicate.</item>
/// <item>An invalid message is never deleted: it is handed back at once, so the queue's redrive
/// policy moves it to the dead-letter queue after maxReceiveCount receives.</item>
/// <item>A valid message whose start fails is kept: it stays in flight (its visibility extended)
/// while the start is retried with backoff, so a Temporal fault of any length costs it no
/// further receive. A refusal that retrying cannot fix also stops receiving until a start goes
/// through again (<see cref="StartGate"/>).</item>
/// <item>A long poll under way is never cancelled (SQS would count the receive and hide the
/// messages anyway); on stop it is allowed to finish and what it brought is handled.</item>
/// <item>Messages of one FIFO group in one batch are handled in order.</item>
/// <item>On stop, in-flight starts get a grace period; a valid message still unstarted then is
/// handed back only while its receive count is below maxReceiveCount - 1.</item>
/// </list>
/// A start slot is freed as soon as its start returns; deletes and hand-backs go out in
/// batches of ten; a receive waits for ten free slots.</summary>
public sealed class SqsQueuePump : BackgroundService
{
    // One receiver per 100 slots, at most 3: enough to keep 300 slots of 20 ms starts busy.
    private const int ReceiverPerSlots = 100;
    private const int MaxReceivers = 3;

    private readonly IAmazonSQS _sqs;
    private readonly IQueueMessageHandler _handler;
    private readonly BridgeOptions _options;
    private readonly ILogger<SqsQueuePump> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly int _receiveBatch;
    private readonly int _receivers;
    private readonly StartGate _gate;
    private readonly SqsBatcher _deletes;
    private readonly SqsBatcher _handBacks;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly BridgeMetrics _metrics;

    // Cancelled only once the shutdown grace period has passed after a stop request.
    private readonly CancellationTokenSource _work;

    // Cancelled at the stop request: a start waiting to be retried is given up at once.
    private readonly CancellationTokenSource _stopping = new();
    private VisibilityKeeper? _keeper;
    private MessageStarter? _starter;
    private IDisposable? _watched;

    public SqsQueuePump(
        IAmazonSQS sqs,
        string queueUrl,
        IQueueMessageHandler handler,
        BridgeOptions options,
        ILogger<SqsQueuePump> logger,
        TimeProvider? timeProvider = null,
        BridgeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _sqs = sqs;
        QueueUrl = queueUrl;
        _handler = handler;
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _receiveBatch = Math.Min(SqsBatcher.SqsBatchLimit, options.MaxConcurrency);
        _receivers = Math.Clamp(options.MaxConcurrency / ReceiverPerSlots, 1, MaxReceivers);
        _metrics = metrics ?? BridgeMetrics.Shared;
        _gate = new StartGate(logger, handler.QueueKind, _time);
        _work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        var calls = new QueueMessageCalls(sqs, queueUrl, handler.QueueKind, logger);
        _deletes = new SqsBatcher(calls.DeleteAsync, options.BatchLinger, _time);
        _handBacks = new SqsBatcher(calls.HandBackAsync, options.BatchLinger, _time);
    }

    public string QueueUrl { get; }

    /// <summary>What the queue told the pump at start (null before <see cref="StartAsync"/>).</summary>
    public QueueSettings? Queue { get; private set; }

    /// <summary>The refusal that stopped receiving, or null while Temporal accepts starts.</summary>
    public string? RefusedBecause => _gate.RefusedBecause;

    /// <summary>Messages received and not yet deleted or handed back.</summary>
    public int HeldMessages => _keeper?.Held ?? 0;

    /// <summary>Refuses to start on a queue without a dead-letter queue, then starts pumping.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Queue = await QueueSettings.ReadAsync(_sqs, QueueUrl, _handler.QueueKind, cancellationToken);
        _keeper = new VisibilityKeeper(_sqs, QueueUrl, Queue.VisibilityTimeout, _time, _logger);
        _starter = new MessageStarter(_handler, _options, Queue, _gate, _keeper, (_deletes, _handBacks), _time, _logger,
            _metrics);
        _watched = _metrics.Watch(_handler.QueueKind, () => HeldMessages, () => _gate.RefusedTime);
        _logger.LogInformation(
            "Bridging the {QueueKind} {Kind} queue {QueueUrl} to Temporal: at most {MaxConcurrency} starts in flight, "
                + "visibility {Visibility}, dead-letter after {MaxReceiveCount} receives ({RedrivePolicy})",
            _handler.QueueKind, Queue.IsFifo ? "FIFO" : "standard", QueueUrl, _options.MaxConcurrency,
                Queue.VisibilityTimeout, Queue.MaxReceiveCount, Queue.RedrivePolicy);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        // First: stopping the base service runs the stop callback, which still uses the sources below.
        base.Dispose();
        _watched?.Dispose();
        _work.Dispose();
        _stopping.Dispose();
        _slots.Dispose();
        _deletes.Dispose();
        _handBacks.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = Queue ?? throw new InvalidOperationException("StartAsync reads the queue first");
        var keeper = _keeper!;
        using var grace = stoppingToken.Register(() =>
        {
            _stopping.Cancel();
            _work.CancelAfter(_options.ShutdownGrace);
        });
        _deletes.Start();
        _handBacks.Start();
        var keeping = keeper.RunAsync(_work.Token);

        // Several receivers when there are slots for them: one long poll at a time caps a queue
        // near ten messages per round trip, below what the start slots can take.
        await Task.WhenAll(Enumerable.Range(0, _receivers).Select(_ => ReceiveLoopAsync(queue, stoppingToken)));

        await DrainAsync();
        await _work.CancelAsync();
        await keeping;
    }

    private async Task ReceiveLoopAsync(QueueSettings queue, CancellationToken stoppingToken)
    {
        string? attemptId = null;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _gate.WaitOpenAsync(stoppingToken);
                await AcquireSlotsAsync(stoppingToken);
                if (_gate.RefusedBecause is not null)
                {
                    // Refused while waiting for slots (a rejected message freed them): no receive.
                    _slots.Release(_receiveBatch);
                    continue;
                }

                List<Message> messages;
                try
                {
                    // A FIFO receive retried after a failure carries the same attempt id, so SQS
                    // hands back the messages the lost answer held instead of hiding them.
                    attemptId ??= queue.IsFifo ? Guid.NewGuid().ToString("N") : null;
                    messages = await ReceiveAsync(attemptId);
                    attemptId = null;
                    failures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _slots.Release(_receiveBatch);
                    var delay = _options.Backoff.After(++failures);
                    _logger.LogError(
                        e,
                        "Receiving from the {QueueKind} queue {QueueUrl} failed; retrying in {Delay}",
                        _handler.QueueKind,
                        QueueUrl,
                        delay);
                    await Task.Delay(delay, _time, stoppingToken);
                    continue;
                }

                if (messages.Count < _receiveBatch)
                {
                    _slots.Release(_receiveBatch - messages.Count);
                }

                Dispatch(messages, queue.IsFifo);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested while waiting for slots, for the gate or for a backoff: nothing was received.
        }
    }

    // Waits for a whole receive batch of free slots: fewer would mean more receives per message.
    private async Task AcquireSlotsAsync(CancellationToken stoppingToken)
    {
        var taken = 0;
        try
        {
            for (; taken < _receiveBatch; taken++)
            {
                await _slots.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            _slots.Release(taken);
            throw;
        }
    }

    // Not cancelled by a stop request: only once the grace period is over.
    private async Task<List<Message>> ReceiveAsync(string? attemptId)
    {
        var response = await _sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = QueueUrl,
                MaxNumberOfMessages = _receiveBatch,
                WaitTimeSeconds = _options.ReceiveWaitSeconds,
                MessageSystemAttributeNames = ["ApproximateReceiveCount", MessageChains.GroupAttribute],
                ReceiveRequestAttemptId = attemptId,
            },
            _work.Token);
        return response.Messages ?? [];
    }

    private void Dispatch(List<Message> messages, bool fifo)
    {
        _metrics.MessagesReceived(_handler.QueueKind, messages.Count);
        foreach (var message in messages)
        {
            _keeper!.Hold(message);
        }

        foreach (var chain in MessageChains.Of(messages, fifo))
        {
            Track(HandleChainAsync(chain));
        }
    }

    private void Track(Task work)
    {
        _inFlight[work] = 0;
        _ = work.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task HandleChainAsync(IReadOnlyList<Message> chain)
    {
        foreach (var message in chain)
        {
            try
            {
                await _starter!.HandleAsync(message, _work.Token, _stopping.Token);
            }
            catch (Exception e)
            {
                // Not expected (HandleAsync decides every outcome); the message stays held until
                // its visibility timeout, which is safe, and the rest of the chain still runs.
                _logger.LogError(e, "Handling {QueueKind} message {MessageId} failed unexpectedly; it will be "
                    + "received again", _handler.QueueKind, message.MessageId);
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    private async Task DrainAsync()
    {
        var pending = _inFlight.Keys.ToArray();
        if (pending.Length > 0)
        {
            _logger.LogInformation("Stopping: up to {Grace} for {Count} in-flight {QueueKind} chains",
                _options.ShutdownGrace, pending.Length, _handler.QueueKind);
            await Task.WhenAll(pending);
        }

        _starter!.HandBackAbandoned();

        // Deletes and hand-backs of what did finish still go out, within a short bound of their own.
        using var flush = new CancellationTokenSource(TimeSpan.FromSeconds(3), _time);
        await _deletes.CompleteAsync(flush.Token);
        await _handBacks.CompleteAsync(flush.Token);
        var abandoned = _starter.Abandoned;
        if (abandoned > 0)
        {
            _logger.LogWarning("Stopped with {Count} {QueueKind} messages unstarted (retries given up at the stop "
                + "request, first attempts at the end of the shutdown grace of {Grace}); none was deleted, they will "
                + "be received again",
                abandoned, _handler.QueueKind, _options.ShutdownGrace);
        }

        _logger.LogInformation("Stopped bridging the {QueueKind} queue", _handler.QueueKind);
    }
}
