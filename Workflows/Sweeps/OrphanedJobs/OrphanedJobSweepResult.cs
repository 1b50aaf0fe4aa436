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
    string Summary);
