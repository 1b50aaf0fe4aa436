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
