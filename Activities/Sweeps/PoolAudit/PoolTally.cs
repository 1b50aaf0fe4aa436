using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>
/// Instance counts of one pool, summed over listing pages. Assigned and idle split the
/// running instances by the jobs table; a running instance whose lookup failed is in
/// neither and counted in <see cref="LookupFailed"/>.
/// </summary>
public sealed record PoolTally(string Pool, int Running, int Stopped, int Assigned, int Idle, int LookupFailed, double UptimeHours)
{
    public static PoolTally Empty(string pool) => new(pool, 0, 0, 0, 0, 0, 0);

    public PoolTally Add(PoolTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Running = Running + other.Running,
            Stopped = Stopped + other.Stopped,
            Assigned = Assigned + other.Assigned,
            Idle = Idle + other.Idle,
            LookupFailed = LookupFailed + other.LookupFailed,
            UptimeHours = UptimeHours + other.UptimeHours,
        };
    }

    /// <summary>
    /// Counts one listed instance: stopped, or running with its uptime and, by its active-job
    /// lookup, assigned, idle or (no lookup, or a failed one) lookup failed.
    /// </summary>
    public PoolTally Count(FleetInstance instance, JobLookup? lookup, DateTimeOffset auditTime)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.State != "running")
        {
            return this with { Stopped = Stopped + 1 };
        }

        var uptime = instance.LaunchTime is { } launched ? Math.Max(0, (auditTime - launched).TotalHours) : 0;
        var counted = this with { Running = Running + 1, UptimeHours = UptimeHours + uptime };
        return lookup?.Outcome switch
        {
            JobLookupOutcome.ActiveJob => counted with { Assigned = counted.Assigned + 1 },
            JobLookupOutcome.NoActiveJob => counted with { Idle = counted.Idle + 1 },
            _ => counted with { LookupFailed = counted.LookupFailed + 1 },
        };
    }

    /// <summary>Merges tallies of the same pools (e.g. two pages), keeping pool order of first sight.</summary>
    public static IReadOnlyList<PoolTally> Merge(IEnumerable<PoolTally> left, IEnumerable<PoolTally> right)
    {
        var merged = new Dictionary<string, PoolTally>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var tally in left.Concat(right))
        {
            if (merged.TryGetValue(tally.Pool, out var existing))
            {
                merged[tally.Pool] = existing.Add(tally);
            }
            else
            {
                merged[tally.Pool] = tally;
                order.Add(tally.Pool);
            }
        }

        return order.Select(p => merged[p]).ToList();
    }
}
