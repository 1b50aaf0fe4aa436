using System.Collections.Concurrent;
using System.Globalization;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Takes one held message to its end: its workflow started (then deleted), rejected (handed
/// back for the dead-letter queue), or given up at shutdown. A start that fails is retried with
/// backoff while the <see cref="VisibilityKeeper"/> keeps the message invisible; a refusal also
/// closes the <see cref="StartGate"/> so the pump stops receiving.</summary>
internal sealed class MessageStarter
{
    private const string ReceiveCountAttribute = "ApproximateReceiveCount";

    private readonly IQueueMessageHandler _handler;
    private readonly BridgeOptions _options;
    private readonly QueueSettings _queue;
    private readonly StartGate _gate;
    private readonly VisibilityKeeper _keeper;
    private readonly SqsBatcher _deletes;
    private readonly SqsBatcher _handBacks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BridgeMetrics _metrics;

    // Handed back only once the receive loop has ended: the long poll still open at a stop
    // would otherwise receive them again at once and spend one of their receives.
    private readonly ConcurrentQueue<Message> _toHandBackAtStop = new();
    private int _abandoned;

    public MessageStarter(
        IQueueMessageHandler handler,
        BridgeOptions options,
        QueueSettings queue,
        StartGate gate,
        VisibilityKeeper keeper,
        (SqsBatcher Deletes, SqsBatcher HandBacks) calls,
        TimeProvider time,
        ILogger logger,
        BridgeMetrics metrics)
    {
        _handler = handler;
        _options = options;
        _queue = queue;
        _gate = gate;
        _keeper = keeper;
        (_deletes, _handBacks) = calls;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Messages given up so far (not started before the stop).</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <param name="message">A message the keeper holds.</param>
    /// <param name="work">Cancelled when the shutdown grace period is over: first attempts end there.</param>
    /// <param name="stopping">Cancelled at the stop request: a start waiting for its retry is given up.</param>
    public async Task HandleAsync(Message message, CancellationToken work, CancellationToken stopping)
    {
        // Every line logged while handling it carries the message id (a field of the JSON log lines).
        using var scope = _logger.BeginScope("{QueueKind} message {MessageId}", _handler.QueueKind, message.MessageId);
        var firstAttempt = _time.GetTimestamp();
        for (var failures = 0; ; failures++)
        {
            MessageOutcome outcome;
            try
            {
                outcome = await _handler.HandleAsync(message, work);
            }
            catch (Exception) when (work.IsCancellationRequested)
            {
                Abandon(message);
                return;
            }
            catch (Exception e)
            {
                var failure = StartFailures.Classify(e);
                if (failure.Kind == StartFailureKind.Refused)
                {
                    _gate.Refused(failure);
                }

                var delay = _options.Backoff.After(failures + 1);
                // One warning per message; the retries in between are debug noise.
                _logger.Log(failures == 0 ? LogLevel.Warning : LogLevel.Debug, e,
                    "Could not start the workflow of {QueueKind} message {MessageId} (receive count {ReceiveCount}): "
                        + "{Kind} {Cause}. The message is kept in flight and the start retried in {Delay}",
                    _handler.QueueKind, message.MessageId, ReceiveCountText(message), failure.Kind, failure.Cause,
                        delay);
                try
                {
                    // Stopping: hand the message back now rather than retry through the grace period.
                    await Task.Delay(delay, _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    Abandon(message);
                    return;
                }

                continue;
            }

            _gate.Accepted();
            _keeper.Let(message);
            _metrics.Handled(_handler.QueueKind, outcome, _time.GetElapsedTime(firstAttempt));
            if (failures > 0)
            {
                _logger.LogInformation("{QueueKind} message {MessageId} handled after {Failures} failed start attempts",
                    _handler.QueueKind, message.MessageId, failures);
            }

            if (outcome.Acknowledged)
            {
                _deletes.Add(message);
            }
            else
            {
                _logger.LogWarning("Rejected {QueueKind} message {MessageId} (receive count {ReceiveCount}): "
                    + "{Reason}. It is not deleted; the queue's redrive policy moves it to the dead-letter queue",
                    _handler.QueueKind, message.MessageId, ReceiveCountText(message), outcome.Reason);
                _handBacks.Add(message);
            }

            return;
        }
    }

    /// <summary>Queues the hand-back of what was given up; call once the receive loop has ended.</summary>
    public void HandBackAbandoned()
    {
        while (_toHandBackAtStop.TryDequeue(out var message))
        {
            _handBacks.Add(message);
        }
    }

    // Not started before the stop: handed back for another bridge, unless that could cost its last receive.
    private void Abandon(Message message)
    {
        _keeper.Let(message);
        Interlocked.Increment(ref _abandoned);
        if (ReceiveCount(message) is { } received && received < _queue.HoldFromReceiveCount)
        {
            _toHandBackAtStop.Enqueue(message);
            return;
        }

        _logger.LogWarning("{QueueKind} message {MessageId} was not started before shutdown and is at receive count "
            + "{ReceiveCount} of {MaxReceiveCount}: not handed back, it returns after its visibility timeout",
            _handler.QueueKind, message.MessageId, ReceiveCountText(message), _queue.MaxReceiveCount);
    }

    private static int? ReceiveCount(Message message) =>
        message.Attributes?.GetValueOrDefault(ReceiveCountAttribute) is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;

    private static string ReceiveCountText(Message message) =>
        ReceiveCount(message)?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
