namespace RunsFleet.Tests.Sweeps.OldJobs;

/// <summary>A clock whose timers fire at once but remember how long they were asked to wait.</summary>
public sealed class RecordingDelays : TimeProvider
{
    private readonly List<TimeSpan> delays = [];

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (this.delays)
            {
                return [.. this.delays];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (this.delays)
        {
            this.delays.Add(dueTime);
        }

        return base.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
