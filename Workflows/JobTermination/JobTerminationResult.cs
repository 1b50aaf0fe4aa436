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

    /// <summary>The job record belongs to another instance: job left alone, this instance's parameters cleaned.</summary>
    OwnedByOtherInstance,

    /// <summary>No record for the job: nothing marked, parameters cleaned, nothing counted.</summary>
    NotFound,

    /// <summary>started_at was written by this run.</summary>
    StartRecorded,

    /// <summary>started_at was already there; left unchanged.</summary>
    StartAlreadyRecorded,

    /// <summary>The runner never got a job: parameters cleaned and one JobFailure counted.</summary>
    BootstrapFailureCleanedUp,

    /// <summary>
    /// A job end without a job id, and the instance has no non-terminal job or more than one,
    /// so none can be completed safely: no record touched, parameters cleaned, one JobFailure counted.
    /// </summary>
    JobNotIdentified,
}

/// <summary>Result of a JobTermination run.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="JobStatus">The job record's status afterwards (null when no record was touched or found).</param>
/// <param name="Pool">The job's pool, when known.</param>
/// <param name="ParametersDeleted">SSM parameters this run deleted.</param>
/// <param name="ParametersAlreadyGone">SSM parameters that were already gone.</param>
/// <param name="MetricsSent">Metric values published.</param>
/// <param name="Detail">One sentence describing the run.</param>
/// <param name="JobIdFoundByInstance">
/// For a job end without a job id: the one non-terminal job of the instance, which this run
/// then completed like any other (null when the message named its job, or none was found).
/// </param>
/// <param name="ActiveJobsOfInstance">
/// For a job end without a job id: non-terminal jobs the lookup found (0, 1, or 2 meaning
/// "two or more": it stops there); null when the message named its job.
/// </param>
public sealed record JobTerminationResult(
    JobTerminationOutcome Outcome,
    string? JobStatus,
    string? Pool,
    int ParametersDeleted,
    int ParametersAlreadyGone,
    int MetricsSent,
    string Detail,
    long? JobIdFoundByInstance = null,
    int? ActiveJobsOfInstance = null);
