namespace RunsFleet.Workflows.Sweeps;

/// <summary>
/// What a running sweep reports while it runs: the answer to its <see cref="QueryName"/>
/// query and, rendered as text, its Temporal current details (shown in the UI). Counts are
/// cumulative over the whole sweep, across continue-as-new runs. Small and of fixed shape:
/// the skipped reasons are a handful of fixed names, never one entry per item.
/// </summary>
/// <param name="Sweep">The sweep's message task type (orphaned_instances, stale_ssm, ...).</param>
/// <param name="Phase">What the sweep is doing now (see <see cref="SweepPhases"/>).</param>
/// <param name="DryRun">True when the sweep only reports what it would do.</param>
/// <param name="Runs">Workflow runs so far (1 + continue-as-new count).</param>
/// <param name="PagesDone">Listing pages read so far.</param>
/// <param name="Examined">Items (instances, parameters, job records) examined so far.</param>
/// <param name="ActedOn">Items acted on so far (terminated, deleted, archived, retired; in a dry run: would be).</param>
/// <param name="ActTarget">How many items the acting phase will act on, once known (null before).</param>
/// <param name="SkippedByReason">Items examined and left alone, by reason.</param>
/// <param name="Errors">Items or calls that failed so far.</param>
public sealed record SweepProgressView(
    string Sweep,
    string Phase,
    bool DryRun,
    int Runs,
    int PagesDone,
    long Examined,
    long ActedOn,
    long? ActTarget,
    IReadOnlyDictionary<string, long> SkippedByReason,
    long Errors)
{
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
