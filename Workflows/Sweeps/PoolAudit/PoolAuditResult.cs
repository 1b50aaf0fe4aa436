using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>
/// Result of a pool audit: where the report was written (null in a dry run or without a
/// bucket), its totals, how many metric values were published (0 in a dry run), the instances
/// listed and the AWS listing pages read. The pools, tallies, rows and markdown stay in the
/// activity, the S3 object and the worker log, never in the history, so the result stays the
/// same size at any number of pools.
/// </summary>
public sealed record PoolAuditResult(
    bool DryRun,
    string? ReportKey,
    PoolAuditTotals Totals,
    int UntrackedInstances,
    int MetricsPublished,
    long InstancesScanned,
    int Pages);
