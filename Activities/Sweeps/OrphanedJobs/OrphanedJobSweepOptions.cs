using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>
/// Settings of the orphaned-job sweep (variables RUNS_FLEET_ORPHANED_JOBS_*). The workflow input
/// may override MaxRuntimeMinutes, SlackMinutes and MaxJobs for one run.
/// </summary>
public sealed class OrphanedJobSweepOptions
{
    /// <summary>Upper bound of <see cref="MaxJobs"/>, also for input overrides.</summary>
    public const int MaxJobsLimit = 1000;

    /// <summary>Longest a job may run (RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES).</summary>
    [Range(1, 7 * 24 * 60)]
    public int MaxRuntimeMinutes { get; set; } = 360;

    /// <summary>Margin past the max runtime before a job counts as orphaned by age (RUNS_FLEET_ORPHANED_JOBS_SLACK_MINUTES).</summary>
    [Range(1, 24 * 60)]
    public int SlackMinutes { get; set; } = 30;

    /// <summary>
    /// Jobs created less than this many minutes ago are not read at all: their instance may not
    /// be visible to DescribeInstances yet (RUNS_FLEET_ORPHANED_JOBS_GRACE_MINUTES).
    /// </summary>
    [Range(1, 24 * 60)]
    public int GraceMinutes { get; set; } = 10;

    /// <summary>Blast-radius cap: above this many orphaned jobs, mark none (RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS).</summary>
    [Range(1, MaxJobsLimit)]
    public int MaxJobs { get; set; } = 100;

    /// <summary>
    /// The non-terminal statuses the sweep reads, comma separated: one status-created_at-index partition
    /// each (RUNS_FLEET_ORPHANED_JOBS_STATUSES). A terminal status here is refused.
    /// </summary>
    [Required]
    [RegularExpression(@"^[a-z_]+(,[a-z_]+)*\z", ErrorMessage = "must be lowercase statuses separated by commas, like running,assigned")]
    public string Statuses { get; set; } = string.Join(',', JobRecord.ActiveStatuses);

    /// <summary>
    /// Most jobs per status-index Query page (its Limit). DynamoDB also ends a page at 1 MB, about
    /// 11,000 projected jobs, so the default lets that limit decide: one Query per status for most
    /// fleets instead of one per 200 jobs. The page's instances are still looked up 200 ids per
    /// DescribeInstances (the EC2 filter limit), so a smaller page saves no EC2 call.
    /// </summary>
    [Range(1, MaxPageSize)]
    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>Largest <see cref="PageSize"/>: about what one 1 MB page of the index holds.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Index pages per workflow run before continue-as-new (RUNS_FLEET_ORPHANED_JOBS_PAGES_PER_RUN).</summary>
    [Range(1, 1000)]
    public int PagesPerRun { get; set; } = 50;

    /// <summary>Jobs per marking activity (conditional updates one after another).</summary>
    [Range(1, 100)]
    public int MarkBatchSize { get; set; } = 25;
}
