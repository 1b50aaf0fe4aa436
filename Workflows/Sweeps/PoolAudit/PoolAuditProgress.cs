using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>
/// The audit so far, carried across continue-as-new: the pools read (bounded by the
/// pools table, tens of items) and per-pool counts; never instance lists.
/// </summary>
public sealed record PoolAuditProgress(
    PoolAuditPlan Plan,
    int Runs,
    int Pages,
    IReadOnlyList<PoolDefinition> Pools,
    string? PoolsCursor,
    bool PoolsDone,
    string? InstancesToken,
    bool InstancesDone,
    long InstancesScanned,
    IReadOnlyList<PoolTally> Tallies,
    int Untracked)
{
    public static PoolAuditProgress Start(PoolAuditPlan plan) => new(plan, 1, 0, [], null, false, null, false, 0, [], 0);

    public PoolAuditProgress Add(PoolsPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return this with
        {
            Pages = Pages + 1,
            Pools = [.. Pools, .. page.Pools],
            PoolsCursor = page.LastPool,
            PoolsDone = page.LastPool is null,
        };
    }

    public PoolAuditProgress Add(PoolInstancesPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return this with
        {
            Pages = Pages + 1,
            InstancesToken = page.NextToken,
            InstancesDone = page.NextToken is null,
            InstancesScanned = InstancesScanned + page.Scanned,
            Tallies = PoolTally.Merge(Tallies, page.Tallies),
            Untracked = Untracked + page.Untracked,
        };
    }
}
