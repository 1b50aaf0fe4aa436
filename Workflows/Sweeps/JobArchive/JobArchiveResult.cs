using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps.JobArchive;

/// <summary>Outcome of an OldJobArchival sweep, totalled over every page and continued run. Lists
/// are capped so the result stays small; the counts are always complete.</summary>
public sealed record JobArchiveResult
{
    /// <summary>Most archive keys the result lists.</summary>
    public const int MaxReportedKeys = 20;

    /// <summary>Most unprocessed job ids the result lists.</summary>
    public const int MaxReportedJobIds = 100;

    public bool DryRun { get; init; }

    public int RetentionDays { get; init; }

    /// <summary>Records completed strictly before this were archived (table timestamp format).</summary>
    public string Cutoff { get; init; } = string.Empty;

    /// <summary>The sweep's start (workflow clock of its first run); the cutoff derives from it.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Fixed for the whole sweep; part of every archive key.</summary>
    public string RunKey { get; init; } = string.Empty;

    /// <summary>Null when records were deleted without an archive copy (or in a dry run).</summary>
    public string? ArchiveBucket { get; init; }

    public int Pages { get; init; }

    /// <summary>Workflow runs the sweep took (1 + continue-as-new count).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Records older than the cutoff (in a dry run: the ones that would be archived).</summary>
    public long RecordsMatched { get; init; }

    /// <summary>Records deleted from the jobs table (0 in a dry run).</summary>
    public long RecordsDeleted { get; init; }

    /// <summary>Records the index returned that failed the cutoff check; left alone.</summary>
    public long RecordsSkipped { get; init; }

    /// <summary>Matched records per terminal status.</summary>
    public IReadOnlyDictionary<string, long> MatchedByStatus { get; init; } = new Dictionary<string, long>();

    public int ArchiveObjects { get; init; }

    /// <summary>The first archive object keys written.</summary>
    public IReadOnlyList<string> ArchiveKeys { get; init; } = [];

    /// <summary>Records left in the table because DynamoDB kept them unprocessed after every retry.</summary>
    public long UnprocessedCount { get; init; }

    /// <summary>The first of those records' job ids.</summary>
    public IReadOnlyList<string> UnprocessedJobIds { get; init; } = [];

    /// <summary>The totals so far as the sweep's progress view (phase scanning: each page archives and deletes
    /// what it matched, so there is no separate acting phase and no target). Examined is what the
    /// index returned; acted on is deleted (in a dry run: matched); errors are the records DynamoDB
    /// left unprocessed.</summary>
    public SweepProgressView ToView() => new()
    {
        Sweep = SweepNames.TaskType(SweepKind.JobArchive), Phase = SweepPhases.Scanning, DryRun = DryRun,
        Runs = Runs, PagesDone = Pages, Examined = RecordsMatched + RecordsSkipped,
        ActedOn = DryRun ? RecordsMatched : RecordsDeleted, ActTarget = null,
        SkippedByReason = SweepProgress.Reasons(("not_before_cutoff", RecordsSkipped)),
        Errors = UnprocessedCount,
    };

    /// <summary>Adds one page's outcome for <paramref name="status"/>.</summary>
    public JobArchiveResult Add(string status, JobArchivePageResult page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var byStatus = new Dictionary<string, long>(MatchedByStatus, StringComparer.Ordinal);
        byStatus[status] = byStatus.GetValueOrDefault(status) + page.Matched;
        return this with
        {
            Pages = Pages + 1, RecordsMatched = RecordsMatched + page.Matched,
            RecordsDeleted = RecordsDeleted + page.Deleted, RecordsSkipped = RecordsSkipped + page.Skipped,
            MatchedByStatus = byStatus, ArchiveObjects = ArchiveObjects + (page.ArchiveKey is null ? 0 : 1),
            ArchiveKeys = page.ArchiveKey is null || ArchiveKeys.Count >= MaxReportedKeys
                ? ArchiveKeys
                : [.. ArchiveKeys, page.ArchiveKey],
            UnprocessedCount = UnprocessedCount + page.UnprocessedJobIds.Count,
            UnprocessedJobIds = [.. UnprocessedJobIds.Concat(page.UnprocessedJobIds).Take(MaxReportedJobIds)],
        };
    }
}
