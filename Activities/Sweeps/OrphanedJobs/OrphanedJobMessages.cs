using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

// Arguments and results of the orphaned-job activities. They travel through the workflow
// history, so each is bounded: counts, and at most a capped number of jobs.

/// <summary>Asks for the settings of one sweep; overrides come from the workflow input.</summary>
/// <param name="Now">The sweep's "now" (Workflow.UtcNow of its first run).</param>
public sealed record OrphanedJobPlanRequest(DateTimeOffset Now, int? MaxRuntimeMinutes, int? SlackMinutes,
    int? MaxJobs);

/// <summary>The settings one sweep runs with, fixed at its start and kept across continue-as-new.</summary>
public sealed record OrphanedJobSweepPlan
{
    public required DateTimeOffset Now { get; init; }

    /// <summary>Jobs created before this (table timestamp format) outlived max runtime + slack.</summary>
    public required string RuntimeCutoff { get; init; }

    /// <summary>Only jobs created before this are read (the grace period).</summary>
    public required string CreatedBefore { get; init; }

    public required int MaxRuntimeMinutes { get; init; }
    public required int SlackMinutes { get; init; }
    public required int MaxJobs { get; init; }

    /// <summary>The non-terminal statuses read, one index partition each, in order.</summary>
    public required IReadOnlyList<string> Statuses { get; init; }

    public required int PageSize { get; init; }
    public required int PagesPerRun { get; init; }
    public required int MarkBatchSize { get; init; }

    /// <summary>Jobs aged from this or later are young (the threshold, runs-fleet's 2 h). Null in plans made
    /// before the threshold existed; their pages use the worker's configured threshold.</summary>
    public string? ThresholdCutoff { get; init; }
}

/// <summary>Read one page of one status partition and judge its jobs.</summary>
/// <param name="Cursor">Where the partition's query resumes; null for its first page.</param>
/// <param name="CandidateLimit">Return at most this many orphaned jobs (the rest are only counted).</param>
public sealed record OrphanedJobScanRequest(
    string Status,
    ActiveJobCursor? Cursor,
    int PageSize,
    string CreatedBefore,
    string RuntimeCutoff,
    int CandidateLimit)
{
    /// <summary>The plan's threshold cutoff; null from a plan made before it existed.</summary>
    public string? ThresholdCutoff { get; init; }
}

/// <summary>What one page held.</summary>
/// <param name="NextCursor">Where the partition continues; null when this was its last page.</param>
/// <param name="Read">Jobs on the page.</param>
/// <param name="InstancesChecked">Distinct instance ids looked up in EC2 (young jobs' too).</param>
/// <param name="InstanceGone">Orphaned because their instance is gone.</param>
/// <param name="OverAge">Orphaned because they outlived max runtime + slack (instance alive or unknown).</param>
/// <param name="KeptActive">Within the max runtime and on a live instance (or without one).</param>
/// <param name="KeptUnreadable">Items without a readable job id or age (created_at; requeued_at): never
/// touched.</param>
/// <param name="Candidates">Up to CandidateLimit orphaned jobs.</param>
public sealed record OrphanedJobScanPage(
    ActiveJobCursor? NextCursor,
    int Read,
    int InstancesChecked,
    int InstanceGone,
    int OverAge,
    int KeptActive,
    int KeptUnreadable,
    IReadOnlyList<OrphanedJobCandidate> Candidates)
{
    /// <summary>Orphaned jobs on the page, including those beyond <see cref="Candidates"/>.</summary>
    public int OrphanCount => InstanceGone + OverAge;

    /// <summary>Of <see cref="InstancesChecked"/>, the ids EC2 returned in any state (terminated too): proof it
    /// answers for the fleet's account and region. 0 in pages read before it was counted.</summary>
    public int InstancesKnown { get; init; }

    /// <summary>Jobs younger than the threshold, left alone whatever their instance says.</summary>
    public int KeptYoung { get; init; }
}

/// <summary>Why a job is orphaned.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrphanCause>))]
public enum OrphanCause
{
    /// <summary>EC2 says its instance is terminated or shutting down, or does not know the id.</summary>
    InstanceGone,

    /// <summary>It was created longer ago than max runtime + slack; its instance is alive or unknown.</summary>
    OverAge,
}

/// <summary>A job the sweep would retire, with the status it was read in (the update's condition).</summary>
/// <param name="InstanceId">The record's instance_id as read; null when it had none.</param>
public sealed record OrphanedJobCandidate(long JobId, string? InstanceId, string Status, OrphanCause Cause,
    string Reason)
{
    /// <summary>requeued_at as read, for a requeued job: the mark is conditional on it too.</summary>
    public string? RequeuedAt { get; init; }
}

/// <summary>Retire one batch of orphaned jobs.</summary>
public sealed record OrphanedJobMarkRequest(IReadOnlyList<OrphanedJobCandidate> Jobs);

/// <summary>What happened to each job of a batch, and to the runner parameters of gone instances.</summary>
public sealed record OrphanedJobMarkResult(IReadOnlyList<OrphanedJobReport> Outcomes, int ParametersDeleted,
    int ParametersAlreadyGone)
{
    public int Marked => Outcomes.Count(o => o.Decision == OrphanedJobDecision.Marked);
}

/// <summary>The fate of one orphaned job.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrphanedJobDecision>))]
public enum OrphanedJobDecision
{
    /// <summary>Its record is now <c>orphaned</c>.</summary>
    Marked,

    /// <summary>The record changed since it was read (finished, re-assigned or deleted): left alone.</summary>
    LeftAlone,

    /// <summary>Dry run: would be marked.</summary>
    DryRun,

    /// <summary>More orphaned jobs than the cap: none marked.</summary>
    CapReached,

    /// <summary>The marking activity failed for good; the next sweep finds the job again.</summary>
    MarkFailed,

    /// <summary>EC2 knew none of the instances the sweep looked up: none marked (wrong region or account?).</summary>
    InstancesUnknown,
}

/// <summary>One job in the sweep's result.</summary>
public sealed record OrphanedJobReport(long JobId, string? InstanceId, string Status, OrphanCause Cause,
    OrphanedJobDecision Decision, string Reason);
