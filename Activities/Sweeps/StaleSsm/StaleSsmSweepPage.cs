namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>The sweep's effective settings, resolved once from configuration and the trigger's overrides.</summary>
public sealed record StaleSsmSweepPlan
{
    public required string ParameterPrefix { get; init; }

    public required int GraceMinutes { get; init; }

    public required int PageSize { get; init; }

    public required int PagesPerRun { get; init; }
}

/// <summary>One page of the sweep: list a page, look up its instances, delete what is stale.</summary>
public sealed record StaleSsmSweepPageRequest
{
    public required string ParameterPrefix { get; init; }

    public required int PageSize { get; init; }

    /// <summary>DescribeParameters token of this page; null for the first page.</summary>
    public string? NextToken { get; init; }

    /// <summary>The sweep's "now" (the workflow's clock at its first run), so every page judges age alike.</summary>
    public required DateTimeOffset Now { get; init; }

    public required int GraceMinutes { get; init; }

    /// <summary>Decide and report, delete nothing.</summary>
    public bool DryRun { get; init; }
}

/// <summary>What one batch of listing pages found and did. Small whatever the batch: the name lists
/// hold at most <see cref="MaxNames"/> names each; the counts are complete.</summary>
public sealed record StaleSsmSweepPageResult
{
    /// <summary>Most names each list carries.</summary>
    public const int MaxNames = 100;

    /// <summary>Token of the next page; null when this was the last one.</summary>
    public string? NextToken { get; init; }

    /// <summary>DescribeParameters pages this batch read (0 in results recorded before batching: one page).</summary>
    public int Pages { get; init; }

    public int Listed { get; init; }

    /// <summary>Parameters judged stale in this batch (0 in results recorded before this count: see <see
    /// cref="StaleNames"/>).</summary>
    public int Stale { get; init; }

    /// <summary>The first stale names of this batch (deleted, or to be deleted in a dry run).</summary>
    public IReadOnlyList<string> StaleNames { get; init; } = [];

    /// <summary>Stale names this page deleted (0 in a dry run).</summary>
    public int Deleted { get; init; }

    /// <summary>Stale names SSM reported as already gone (InvalidParameters): someone else deleted them.</summary>
    public int AlreadyGone { get; init; }

    public int KeptYoung { get; init; }

    public int KeptInstanceAlive { get; init; }

    public int KeptNoTimestamp { get; init; }

    /// <summary>Names without an instance id, left alone (0 in results recorded before this count: see <see
    /// cref="UnparseableNames"/>).</summary>
    public int Unparseable { get; init; }

    /// <summary>The first names without an instance id: left alone and reported.</summary>
    public IReadOnlyList<string> UnparseableNames { get; init; } = [];
}
