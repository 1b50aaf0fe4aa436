using System.Text.Json.Serialization;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>What a JobTermination run did, in words an operator reads in the Temporal UI.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobTerminationOutcome>))]
public enum JobTerminationOutcome
{
    /// <summary>This run marked the job terminal, cleaned the parameters and counted the job.</summary>
    Completed,

    /// <summary>The job was already terminal (duplicate or late report): parameters cleaned, nothing counted.</summary>
    AlreadyTerminal,

    /// <summary>The job record belongs to another instance: job left alone, this instance's parameters
    /// cleaned.</summary>
    OwnedByOtherInstance,

    /// <summary>No record for the job: nothing marked, parameters cleaned, nothing counted.</summary>
    NotFound,

    /// <summary>This run moved the record from launched or claiming to running with started_at and
    /// published the confirmation metrics (runs before issue 13: wrote started_at only).</summary>
    StartRecorded,

    /// <summary>
    /// The record was already running (runs before issue 13: already had started_at); left unchanged.
    /// </summary>
    StartAlreadyRecorded,

    /// <summary>The runner never got a job: parameters cleaned and one JobFailure counted; no job was
    /// requeued (<see cref="JobTerminationResult.Requeue"/> says why; runs before issue 13 never
    /// requeued and did not look the job up).</summary>
    BootstrapFailureCleanedUp,

    /// <summary>A job end without a job id, and the instance has no non-terminal job or more than one,
    /// so none can be completed safely: no record touched, parameters cleaned, one JobFailure counted.</summary>
    JobNotIdentified,

    /// <summary>The record is this instance's but orphaned, requeued, terminating or without status: a start
    /// report leaves it alone.</summary>
    StartIgnored,

    /// <summary>The runner never got a job and its job was requeued as runs-fleet does: record flipped to
    /// requeued, launch message sent to runs-fleet's job queue; parameters cleaned, JobFailure and
    /// JobsRequeued counted.</summary>
    BootstrapFailureRequeued,
}

/// <summary>What a failed bootstrap did about the instance's job (runs-fleet's processBootstrapFailure).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BootstrapRequeue>))]
public enum BootstrapRequeue
{
    /// <summary>Flipped to requeued and the launch message sent (as the plan: the job is to be requeued).</summary>
    Requeued,

    /// <summary>The instance has no running or launched job.</summary>
    NoJob,

    /// <summary>The instance has two or more running or launched jobs: none can be chosen safely.</summary>
    SeveralJobs,

    /// <summary>The record has no run_id, so no launch message can be built (runs-fleet skips it too).</summary>
    NoRunId,

    /// <summary>RUNS_FLEET_QUEUE_URL is not set (runs-fleet without a job queue does the same).</summary>
    NoQueue,

    /// <summary>retry_count is at runs-fleet's cap of 2: not requeued, SchedulingFailure counted.</summary>
    RetryCapReached,

    /// <summary>The flip's condition failed: the record is no longer this instance's running or launched job.</summary>
    RecordMovedOn,

    /// <summary>
    /// The message could not be sent for good; the flip was undone if the record was still ours (the run fails).
    /// </summary>
    SendFailed,
}

/// <summary>
/// Result of a JobTermination run. The JSON (property names, any order) is recorded in histories: keep the names.
/// </summary>
public sealed record JobTerminationResult
{
    /// <summary>What happened.</summary>
    public required JobTerminationOutcome Outcome { get; init; }

    /// <summary>The job record's status afterwards (null when no record was touched or found).</summary>
    public required string? JobStatus { get; init; }

    /// <summary>The job's pool, when known.</summary>
    public required string? Pool { get; init; }

    /// <summary>SSM parameters this run deleted.</summary>
    public required int ParametersDeleted { get; init; }

    /// <summary>SSM parameters that were already gone.</summary>
    public required int ParametersAlreadyGone { get; init; }

    /// <summary>Metric values published.</summary>
    public required int MetricsSent { get; init; }

    /// <summary>One sentence describing the run.</summary>
    public required string Detail { get; init; }

    /// <summary>For a job end without a job id: the one non-terminal job of the instance, which this run
    /// then completed like any other; for a failed bootstrap: the instance's one running or launched
    /// job (null when the message named its job, or none was found).</summary>
    public long? JobIdFoundByInstance { get; init; }

    /// <summary>For a job end without a job id: non-terminal jobs the lookup found; for a failed bootstrap:
    /// running or launched jobs (0, 1, or 2 meaning "two or more": the lookups stop there); null when
    /// the message named its job.</summary>
    public int? ActiveJobsOfInstance { get; init; }

    /// <summary>For a failed bootstrap: what was done about its job (null for other statuses and older runs).</summary>
    public BootstrapRequeue? Requeue { get; init; }
}
