using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>
/// Result of a pool audit: the report (rows, totals, markdown), where it was written
/// (null when not uploaded) and how many metric values were published (0 in a dry run).
/// </summary>
public sealed record PoolAuditResult(
    bool DryRun,
    PoolAuditReport Report,
    string? ReportKey,
    int MetricsPublished,
    long InstancesScanned,
    int Pages,
    int Runs);
