using RunsFleet.Activities.Sweeps.OrphanedJobs;

namespace RunsFleet.Workflows.Sweeps.OrphanedJobs;

/// <summary>
/// Outcome of an OrphanedJobSweep, totalled over every page and run. Jobs lists at most
/// cap + 1 orphaned jobs with their fate; the counts are always complete.
/// </summary>
public sealed record OrphanedJobSweepResult(
    bool DryRun,
    DateTimeOffset Now,
    string RuntimeCutoff,
    int MaxJobs,
    OrphanedJobAction Action,
    IReadOnlyList<string> Statuses,
    long JobsRead,
    long InstancesChecked,
    long OrphanedJobs,
    long InstanceGone,
    long OverAge,
    int Marked,
    int LeftAlone,
    int MarkFailed,
    int ParametersDeleted,
    int ParametersAlreadyGone,
    long KeptActive,
    long KeptUnreadable,
    IReadOnlyList<OrphanedJobReport> Jobs,
    int Pages,
    int Runs,
    string Summary)
{
    /// <summary>
    /// Of <see cref="InstancesChecked"/>, those EC2 returned in any state. 0 with InstancesChecked &gt; 0
    /// is <see cref="OrphanedJobAction.InstancesUnknown"/>: nothing marked.
    /// </summary>
    public long InstancesKnown { get; init; }

    /// <summary>Jobs younger than the threshold (runs-fleet's 2 h; requeued ones from requeued_at).</summary>
    public long KeptYoung { get; init; }
}
