using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>Result of a pool audit: where the report was written (null in a dry run or without a
/// bucket), its totals, how many metric values were published (0 in a dry run), the instances
/// listed and the AWS listing pages read. The pools, tallies, rows and markdown stay in the
/// activity, the S3 object and the worker log, never in the history, so the result stays the
/// same size at any number of pools.</summary>
public sealed record PoolAuditResult(
    bool DryRun,
    string? ReportKey,
    PoolAuditTotals Totals,
    int UntrackedInstances,
    int MetricsPublished,
    long InstancesScanned,
    int Pages)
{
    /// <summary>The finished audit as the sweep's progress view: the pools reported are what it acted on,
    /// the instances listed what it examined; instances in no pool are skipped as untracked.</summary>
    public SweepProgressView ToView() => new()
    {
        Sweep = SweepNames.TaskType(SweepKind.PoolAudit), Phase = SweepPhases.Done, DryRun = DryRun, Runs = 1,
        PagesDone = Pages, Examined = InstancesScanned, ActedOn = Totals.Pools, ActTarget = Totals.Pools,
        SkippedByReason = SweepProgress.Reasons(("untracked", UntrackedInstances)),
        Errors = 0,
    };
}
