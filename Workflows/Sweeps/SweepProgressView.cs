namespace RunsFleet.Workflows.Sweeps;

/// <summary>What a running sweep reports while it runs: the answer to its <see cref="QueryName"/>
/// query and, rendered as text, its Temporal current details (shown in the UI). Counts are
/// cumulative over the whole sweep, across continue-as-new runs. Small and of fixed shape:
/// the skipped reasons are a handful of fixed names, never one entry per item.</summary>
public sealed record SweepProgressView
{
    /// <summary>The sweep's message task type (orphaned_instances, stale_ssm, ...).</summary>
    public required string Sweep { get; init; }

    /// <summary>What the sweep is doing now (see <see cref="SweepPhases"/>).</summary>
    public required string Phase { get; init; }

    /// <summary>True when the sweep only reports what it would do.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Workflow runs so far (1 + continue-as-new count).</summary>
    public required int Runs { get; init; }

    /// <summary>Listing pages read so far.</summary>
    public required int PagesDone { get; init; }

    /// <summary>Items (instances, parameters, job records) examined so far.</summary>
    public required long Examined { get; init; }

    /// <summary>Items acted on so far (terminated, deleted, archived, retired; in a dry run: would be).</summary>
    public required long ActedOn { get; init; }

    /// <summary>How many items the acting phase will act on, once known (null before).</summary>
    public required long? ActTarget { get; init; }

    /// <summary>Items examined and left alone, by reason.</summary>
    public required IReadOnlyDictionary<string, long> SkippedByReason { get; init; }

    /// <summary>Items or calls that failed so far.</summary>
    public required long Errors { get; init; }

    /// <summary>The name of the query every sweep workflow answers with this view.</summary>
    public const string QueryName = "progress";
}

/// <summary>The phases a sweep reports, in the order a sweep passes through them.</summary>
public static class SweepPhases
{
    /// <summary>Reading settings and fixing "now".</summary>
    public const string Planning = "planning";

    /// <summary>Paging through the listing.</summary>
    public const string Scanning = "scanning";

    /// <summary>Acting on what the scan found (terminating, deleting, archiving, retiring).</summary>
    public const string Acting = "acting";

    /// <summary>Publishing metrics and the report.</summary>
    public const string Publishing = "publishing";

    /// <summary>Finished; the result is final.</summary>
    public const string Done = "done";
}
