namespace RunsFleet.Activities.Jobs;

/// <summary>The non-terminal job records of one instance, as FindActiveJobsOfInstance saw them. The
/// lookup stops at the second one: the caller only needs to know "none", "exactly this one"
/// or "more than one", so <see cref="JobIds"/> never holds more than two.</summary>
/// <param name="JobIds">Up to two ids of non-terminal jobs of the instance, in index order.</param>
/// <param name="PagesRead">Query pages read (for the log and the tests of paging).</param>
public sealed record ActiveJobsOfInstance(IReadOnlyList<long> JobIds, int PagesRead)
{
    /// <summary>Where the lookup stops: at two active jobs the answer is already "not exactly one".</summary>
    public const int StopAt = 2;

    /// <summary>The job when exactly one non-terminal job belongs to the instance, else null.</summary>
    public long? SingleJobId => JobIds.Count == 1 ? JobIds[0] : null;
}
