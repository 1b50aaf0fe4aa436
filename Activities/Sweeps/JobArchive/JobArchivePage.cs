namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>The archival sweep's effective settings, resolved once from configuration and the trigger's
/// overrides.</summary>
public sealed record JobArchivePlan
{
    public required int RetentionDays { get; init; }

    public required int PageSize { get; init; }

    public required int PagesPerRun { get; init; }

    /// <summary>Null when batches are deleted without an archive copy.</summary>
    public string? ArchiveBucket { get; init; }

    public string ArchivePrefix { get; init; } = string.Empty;
}

/// <summary>One page of the archival sweep: one completed_at-index query page of one status.</summary>
public sealed record JobArchivePageRequest
{
    /// <summary>Terminal status whose index partition is read.</summary>
    public required string Status { get; init; }

    /// <summary>Records completed strictly before this (table timestamp format) are archived.</summary>
    public required string Cutoff { get; init; }

    /// <summary>Where the previous page stopped; null for the first page of the status.</summary>
    public JobPageCursor? Cursor { get; init; }

    public required int PageSize { get; init; }

    /// <summary>Count and report only: write and delete nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Bucket of the archive object; null to delete without archiving.</summary>
    public string? ArchiveBucket { get; init; }

    /// <summary>Key of this page's archive object (see <see cref="JobArchiveRules.ArchiveKey"/>).</summary>
    public string? ArchiveKey { get; init; }
}

/// <summary>What one page found and did. Small: counts, a cursor and at most a page of ids.</summary>
public sealed record JobArchivePageResult
{
    /// <summary>Records older than the cutoff on this page (deleted, or to be deleted in a dry run).</summary>
    public int Matched { get; init; }

    /// <summary>Records the query returned that failed the second check (odd timestamp); left alone.</summary>
    public int Skipped { get; init; }

    public int Deleted { get; init; }

    /// <summary>Key of the archive object written; null when nothing was archived.</summary>
    public string? ArchiveKey { get; init; }

    /// <summary>Records DynamoDB still left unprocessed after every retry; archived but not deleted.</summary>
    public IReadOnlyList<string> UnprocessedJobIds { get; init; } = [];

    /// <summary>Where to resume; null when the status has no more old records.</summary>
    public JobPageCursor? NextCursor { get; init; }
}
