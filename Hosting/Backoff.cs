namespace RunsFleet.Hosting;

/// <summary>The one retry shape of the loops that are not Temporal's (Temporal retries activities and
/// workflows by their own policies): wait <see cref="Initial"/> after the first failure, twice as
/// long after each further one, at most <see cref="Max"/>. Used by the bridge's receive loop and
/// start retries and by the worker's schedule application at start.
/// Ours rather than a Polly pipeline: each loop interleaves its retries with work a pipeline cannot
/// wrap (the pump frees its slots and keeps the FIFO receive attempt id between tries; a start's
/// attempt runs until the end of the shutdown grace while its wait ends at the stop request), so
/// what they share is the delay, and that is one line.</summary>
public readonly record struct Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 after the first).</summary>
    public TimeSpan After(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var ticks = Initial.Ticks * Math.Pow(2, Math.Min(failures - 1, 62));
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }
}
