using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Open while Temporal accepts starts; closed from the first refusal (a start Temporal answered
/// with a "no" that retrying cannot fix) until a retried start goes through. While it is
/// closed the pump receives nothing, so a misconfigured namespace or an unregistered search
/// attribute costs no message a receive; the messages already held are retried with backoff
/// and are the probe.</summary>
internal sealed class StartGate
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly string _queueKind;
    private readonly TimeProvider _time;
    private TaskCompletionSource _opened = NewOpened();
    private string? _cause;
    private long _closedAt;
    private TimeSpan _refusedBefore;

    public StartGate(ILogger logger, string queueKind, TimeProvider time)
    {
        _logger = logger;
        _queueKind = queueKind;
        _time = time;
        _opened.SetResult();
    }

    /// <summary>How long the gate has been closed in all, the closure under way included (a metric).</summary>
    public TimeSpan RefusedTime
    {
        get
        {
            lock (_lock)
            {
                return _refusedBefore + (_cause is null ? TimeSpan.Zero : _time.GetElapsedTime(_closedAt));
            }
        }
    }

    /// <summary>The refusal that closed the gate, or null while open.</summary>
    public string? RefusedBecause
    {
        get
        {
            lock (_lock)
            {
                return _cause;
            }
        }
    }

    public void Refused(StartFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        lock (_lock)
        {
            if (_cause is not null)
            {
                return;
            }

            _cause = failure.Cause;
            _closedAt = _time.GetTimestamp();
            _opened = NewOpened();
        }

        _logger.LogError("Temporal refuses {QueueKind} workflow starts ({Cause}); receiving stopped. Held messages "
            + "are retried with backoff and nothing is deleted; fix the cause (namespace, search attributes, "
            + "credentials) and receiving resumes by itself",
            _queueKind, failure.Cause);
    }

    public void Accepted()
    {
        TaskCompletionSource opened;
        string? cause;
        lock (_lock)
        {
            cause = _cause;
            if (cause is null)
            {
                return;
            }

            _cause = null;
            _refusedBefore += _time.GetElapsedTime(_closedAt);
            opened = _opened;
        }

        opened.TrySetResult();
        _logger.LogInformation("Temporal accepts {QueueKind} workflow starts again (was: {Cause}); receiving resumes",
            _queueKind, cause);
    }

    public Task WaitOpenAsync(CancellationToken cancellationToken)
    {
        Task opened;
        lock (_lock)
        {
            opened = _opened.Task;
        }

        return opened.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewOpened() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
