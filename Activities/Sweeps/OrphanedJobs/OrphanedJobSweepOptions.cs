using System.ComponentModel.DataAnnotations;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>Settings of the orphaned-job sweep (variables RUNS_FLEET_ORPHANED_JOBS_*). The workflow input
/// may override MaxRuntimeMinutes, SlackMinutes and MaxJobs for one run, only towards caution
/// (a longer runtime or slack, a lower cap: see <see cref="SweepOverrides"/>).</summary>
public sealed class OrphanedJobSweepOptions : IValidatableObject
{
    /// <summary>Upper bound of <see cref="MaxJobs"/>, also for input overrides.</summary>
    public const int MaxJobsLimit = OrphanedJobSweepInput.MaxJobsLimit;

    /// <summary>Upper bound of <see cref="MaxRuntimeMinutes"/> (one week), also for input overrides.</summary>
    public const int MaxRuntimeLimit = OrphanedJobSweepInput.MaxRuntimeLimit;

    /// <summary>Upper bound of <see cref="SlackMinutes"/> (one day), also for input overrides.</summary>
    public const int MaxSlackMinutes = OrphanedJobSweepInput.MaxSlackMinutes;

    /// <summary>Longest a job may run (RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES, also read from runs-fleet's
    /// RUNS_FLEET_MAX_RUNTIME_MINUTES).</summary>
    [Range(1, MaxRuntimeLimit)]
    public int MaxRuntimeMinutes { get; set; } = 360;

    /// <summary>Margin past the max runtime before a job counts as orphaned by age
    /// (RUNS_FLEET_ORPHANED_JOBS_SLACK_MINUTES).</summary>
    [Range(1, MaxSlackMinutes)]
    public int SlackMinutes { get; set; } = 30;

    /// <summary>Jobs created less than this many minutes ago are not read at all: their instance may not
    /// be visible to DescribeInstances yet (RUNS_FLEET_ORPHANED_JOBS_GRACE_MINUTES).</summary>
    [Range(1, 24 * 60)]
    public int GraceMinutes { get; set; } = 10;

    /// <summary>
    /// No job is orphaned younger than this, whatever its instance says (RUNS_FLEET_ORPHANED_JOBS_THRESHOLD_MINUTES):
    /// runs-fleet's orphanedJobThreshold, 2 h (pkg/housekeeping/tasks.go:1050-1054), which leaves
    /// runs-fleet's own requeue of an interrupted job its time. A requeued record is aged from its
    /// requeued_at. Jobs between the grace and the threshold are still read: their live instances
    /// are the evidence that EC2 answers for the right account and region.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int ThresholdMinutes { get; set; } = OrphanedJobRules.RunsFleetThresholdMinutes;

    /// <summary>Blast-radius cap: above this many orphaned jobs, mark none
    /// (RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS).</summary>
    [Range(1, MaxJobsLimit)]
    public int MaxJobs { get; set; } = 100;

    /// <summary>The statuses the sweep reads, comma separated: one status-created_at-index partition each
    /// (RUNS_FLEET_ORPHANED_JOBS_STATUSES). Only runs-fleet's orphanable statuses are accepted
    /// (<see cref="OrphanedJobRules.OrphanableStatuses"/>): terminating is never orphaned.</summary>
    [Required]
    [RegularExpression(@"^[a-z_]+(,[a-z_]+)*\z", ErrorMessage = "must be lowercase statuses separated by commas")]
    public string Statuses { get; set; } = string.Join(',', OrphanedJobRules.OrphanableStatuses);

    /// <summary>Most jobs per status-index Query page (its Limit). DynamoDB also ends a page at 1 MB, about
    /// 11,000 projected jobs, so the default lets that limit decide: one Query per status for most
    /// fleets instead of one per 200 jobs. The page's instances are still looked up 200 ids per
    /// DescribeInstances (the EC2 filter limit), so a smaller page saves no EC2 call.</summary>
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

    /// <summary>The configured statuses, in order, each once.</summary>
    public IReadOnlyList<string> StatusList() =>
        Statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Refuses a status the sweep must never orphan, so the worker stops at start-up (exit 8).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OrphanedJobRules.StatusesProblem(StatusList()) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(Statuses)]);
        }
    }
}
