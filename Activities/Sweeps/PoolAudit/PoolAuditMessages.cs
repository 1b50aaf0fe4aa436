namespace RunsFleet.Activities.Sweeps.PoolAudit;

// The pool-audit activity's request and result (both of a fixed size, whatever the number of
// pools or instances), and the arguments of the steps it runs inside itself.

/// <summary>Audit the pools in one activity: read the pools table, count their instances, build the
/// report and, outside a dry run, upload and publish it. <paramref name="AuditTime"/> is fixed by
/// the workflow, so a retried attempt measures uptimes against the same instant and writes the
/// same key.</summary>
public sealed record PoolAuditRequest(DateTimeOffset AuditTime, string WorkflowId, string RunId, bool DryRun);

/// <summary>Read one page of the pools table, starting after <paramref name="StartAfterPool"/>.</summary>
public sealed record PoolsPageRequest(string? StartAfterPool, int PageSize);

/// <summary>One page of pools; <paramref name="LastPool"/> is null when the table is exhausted.</summary>
public sealed record PoolsPage(IReadOnlyList<PoolDefinition> Pools, string? LastPool);

/// <summary>Count one DescribeInstances page of pool instances.</summary>
public sealed record PoolInstancesPageRequest(string? NextToken, DateTimeOffset AuditTime, int PageSize,
    IReadOnlyList<string> PoolNames);

/// <summary>Per-pool counts of one page; <paramref name="Untracked"/> counts instances of pools not in the table.
/// <see cref="Stopped"/> lists the page's stopped pool instances, whose volumes are read next
/// (their tallies have no volume sizes yet).</summary>
public sealed record PoolInstancesPage(string? NextToken, int Scanned, IReadOnlyList<PoolTally> Tallies, int Untracked)
{
    public IReadOnlyList<StoppedInstance> Stopped { get; init; } = [];
}

/// <summary>
/// The volume sizes of a batch of stopped instances, as tallies per pool, and the DescribeVolumes pages read.
/// </summary>
public sealed record StoppedVolumesPage(IReadOnlyList<PoolTally> Tallies, int Pages);

/// <summary>Price and render the audit.</summary>
public sealed record PoolAuditReportRequest(DateTimeOffset AuditTime, IReadOnlyList<PoolDefinition> Pools,
    IReadOnlyList<PoolTally> Tallies, int UntrackedInstances);

/// <summary>Upload the rendered report (and, when given, its rows as JSON next to it).</summary>
public sealed record PoolAuditUploadRequest(DateTimeOffset AuditTime, string WorkflowId, string RunId, string Markdown)
{
    /// <summary>The report's rows, written as <see cref="PoolAuditRowsDocument"/> before the markdown; null writes the
    /// markdown only.</summary>
    public PoolAuditRowsDocument? Rows { get; init; }
}

/// <summary>Build, upload and publish the counted audit (a step of the audit activity, never a payload). <paramref
/// name="DryRun"/> builds and logs
/// the report only: no upload, no metrics.</summary>
public sealed record PoolAuditPublishRequest(
    DateTimeOffset AuditTime,
    IReadOnlyList<PoolDefinition> Pools,
    IReadOnlyList<PoolTally> Tallies,
    int UntrackedInstances,
    string WorkflowId,
    string RunId,
    bool DryRun);

/// <summary>What the workflow keeps of the audit: where the report went (null when not uploaded), the
/// totals and the metric count. Its size does not grow with the pools; the rows and markdown
/// stay in the activity (and in S3).</summary>
public sealed record PoolAuditSummary(string? ReportKey, PoolAuditTotals Totals, int UntrackedInstances,
    int MetricsPublished)
{
    /// <summary>Instances listed (running and stopped pool instances, tracked or not).</summary>
    public long InstancesScanned { get; init; }

    /// <summary>AWS listing pages read: pools table Scan pages, DescribeInstances and DescribeVolumes pages.</summary>
    public int Pages { get; init; }
}
