namespace RunsFleet.Activities.Sweeps.PoolAudit;

// Arguments and results of the pool-audit activities; each bounded by the page size or
// by the number of pools.

/// <summary>Asks for the settings of one audit.</summary>
public sealed record PoolAuditPlanRequest(DateTimeOffset AuditTime, int? PagesPerRun);

/// <summary>The settings one audit runs with, kept across continue-as-new.</summary>
public sealed record PoolAuditPlan(DateTimeOffset AuditTime, int PagesPerRun, int PoolsPageSize, int InstancePageSize, bool UploadConfigured);

/// <summary>Read one page of the pools table, starting after <paramref name="StartAfterPool"/>.</summary>
public sealed record PoolsPageRequest(string? StartAfterPool, int PageSize);

/// <summary>One page of pools; <paramref name="LastPool"/> is null when the table is exhausted.</summary>
public sealed record PoolsPage(IReadOnlyList<PoolDefinition> Pools, string? LastPool);

/// <summary>Count one DescribeInstances page of pool instances.</summary>
public sealed record PoolInstancesPageRequest(string? NextToken, DateTimeOffset AuditTime, int PageSize, IReadOnlyList<string> PoolNames);

/// <summary>Per-pool counts of one page; <paramref name="Untracked"/> counts instances of pools not in the table.</summary>
public sealed record PoolInstancesPage(string? NextToken, int Scanned, IReadOnlyList<PoolTally> Tallies, int Untracked);

/// <summary>Price and render the audit.</summary>
public sealed record PoolAuditReportRequest(DateTimeOffset AuditTime, IReadOnlyList<PoolDefinition> Pools, IReadOnlyList<PoolTally> Tallies, int UntrackedInstances);

/// <summary>Upload the rendered report.</summary>
public sealed record PoolAuditUploadRequest(DateTimeOffset AuditTime, string WorkflowId, string RunId, string Markdown);

/// <summary>
/// Build, upload and publish the audit in one activity. <paramref name="DryRun"/> builds and logs
/// the report only: no upload, no metrics.
/// </summary>
public sealed record PoolAuditPublishRequest(
    DateTimeOffset AuditTime,
    IReadOnlyList<PoolDefinition> Pools,
    IReadOnlyList<PoolTally> Tallies,
    int UntrackedInstances,
    string WorkflowId,
    string RunId,
    bool DryRun);

/// <summary>
/// What the workflow keeps of the audit: where the report went (null when not uploaded), the
/// totals and the metric count. Its size does not grow with the pools; the rows and markdown
/// stay in the activity (and in S3).
/// </summary>
public sealed record PoolAuditSummary(string? ReportKey, PoolAuditTotals Totals, int UntrackedInstances, int MetricsPublished);
