using RunsFleet.Activities.Sweeps.JobArchive;

namespace RunsFleet.Workflows.Sweeps.JobArchive;

/// <summary>What an OldJobArchival run hands to the next one when it continues as new: settings,
/// cutoff and run key fixed at the first run, the position of the scan, and the totals.</summary>
public sealed record JobArchiveContinuation
{
    public required JobArchivePlan Settings { get; init; }

    /// <summary>Index into JobRecord.ArchivableStatuses of the status being scanned.</summary>
    public required int StatusIndex { get; init; }

    /// <summary>Where that status's query resumes; null to start it from the beginning.</summary>
    public JobPageCursor? Cursor { get; init; }

    /// <summary>Number of the next page within the status (archive keys count from 1).</summary>
    public required int NextPage { get; init; }

    /// <summary>Totals so far; also carries the cutoff, start time and run key.</summary>
    public required JobArchiveResult Totals { get; init; }
}
