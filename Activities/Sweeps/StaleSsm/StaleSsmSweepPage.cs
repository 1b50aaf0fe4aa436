namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>The sweep's effective settings, resolved once from configuration and the trigger's overrides.</summary>
public sealed record StaleSsmSweepSettings
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

/// <summary>What one page found and did. Small: at most one page of names.</summary>
public sealed record StaleSsmSweepPageResult
{
    /// <summary>Token of the next page; null when this was the last one.</summary>
    public string? NextToken { get; init; }

    public int Listed { get; init; }

    /// <summary>Names judged stale on this page (deleted, or to be deleted in a dry run).</summary>
    public IReadOnlyList<string> StaleNames { get; init; } = [];

    /// <summary>Stale names this page deleted (0 in a dry run).</summary>
    public int Deleted { get; init; }

    /// <summary>Stale names SSM reported as already gone (InvalidParameters): someone else deleted them.</summary>
    public int AlreadyGone { get; init; }

    public int KeptYoung { get; init; }

    public int KeptInstanceAlive { get; init; }

    public int KeptNoTimestamp { get; init; }

    /// <summary>Names without an instance id: left alone and reported.</summary>
    public IReadOnlyList<string> UnparseableNames { get; init; } = [];
}
