using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Instance counts of one pool, summed over listing pages. Assigned and idle split the
/// running instances by the jobs table; a running instance whose lookup failed is in
/// neither and counted in <see cref="LookupFailed"/>. <see cref="RunningTypes"/> splits the
/// running instances and their uptime by the type EC2 reports for each (a flexible pool runs
/// several); <see cref="StoppedVolumeGiB"/> is the size of the stopped instances' volumes.</summary>
public sealed record PoolTally(
    string Pool, int Running, int Stopped, int Assigned, int Idle, int LookupFailed, double UptimeHours)
{
    /// <summary>The running instances by EC2 instance type, sorted by type.</summary>
    public IReadOnlyList<TypeUptime> RunningTypes { get; init; } = [];

    /// <summary>GiB of the EBS volumes attached to the stopped instances, as DescribeVolumes reports them.</summary>
    public long StoppedVolumeGiB { get; init; }

    /// <summary>Stopped instances DescribeVolumes showed no volume for (terminated since the listing).</summary>
    public int StoppedWithoutVolume { get; init; }

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
            RunningTypes = TypeUptime.Merge(RunningTypes, other.RunningTypes),
            StoppedVolumeGiB = StoppedVolumeGiB + other.StoppedVolumeGiB,
            StoppedWithoutVolume = StoppedWithoutVolume + other.StoppedWithoutVolume,
        };
    }

    /// <summary>Counts one listed instance: stopped, or running with its type and uptime and, by its
    /// active-job lookup, assigned, idle or (no lookup, or a failed one) lookup failed.</summary>
    public PoolTally Count(FleetInstance instance, JobLookup? lookup, DateTimeOffset auditTime)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.State != "running")
        {
            return this with { Stopped = Stopped + 1 };
        }

        var uptime = instance.LaunchTime is { } launched ? Math.Max(0, (auditTime - launched).TotalHours) : 0;
        var counted = this with
        {
            Running = Running + 1,
            UptimeHours = UptimeHours + uptime,
            RunningTypes = TypeUptime.Merge(
                RunningTypes, [new TypeUptime(instance.InstanceType ?? TypeUptime.UnknownType, 1, uptime)]),
        };
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

    // Value equality over the type list too (a record compares a list by reference).
    public bool Equals(PoolTally? other) =>
        other is not null
        && (Pool, Running, Stopped, Assigned, Idle, LookupFailed, UptimeHours)
            == (other.Pool, other.Running, other.Stopped, other.Assigned, other.Idle, other.LookupFailed,
                other.UptimeHours)
        && (StoppedVolumeGiB, StoppedWithoutVolume) == (other.StoppedVolumeGiB, other.StoppedWithoutVolume)
        && RunningTypes.SequenceEqual(other.RunningTypes);

    public override int GetHashCode() => HashCode.Combine(Pool, Running, Stopped, UptimeHours, StoppedVolumeGiB);
}

/// <summary>Running instances of one EC2 instance type in a pool and their summed uptime in hours.</summary>
public sealed record TypeUptime(string InstanceType, int Running, double UptimeHours)
{
    /// <summary>Stands for an instance EC2 listed without a type; no price table knows it.</summary>
    public const string UnknownType = "unknown";

    /// <summary>Sums the entries of the same type; the result is sorted by type.</summary>
    public static IReadOnlyList<TypeUptime> Merge(IEnumerable<TypeUptime> left, IEnumerable<TypeUptime> right) =>
        left.Concat(right)
            .GroupBy(t => t.InstanceType, StringComparer.Ordinal)
            .Select(g => new TypeUptime(g.Key, g.Sum(t => t.Running), g.Sum(t => t.UptimeHours)))
            .OrderBy(t => t.InstanceType, StringComparer.Ordinal)
            .ToList();
}
