
namespace RunsFleet.Contracts.JobTermination;

/// <summary>A validated termination message: the input of one JobTermination workflow. Recorded in histories: the
/// property names and their order are the JSON, so keep both.</summary>
public sealed record JobTerminationInput
{
    /// <summary>EC2 instance that ran (or was to run) the job.</summary>
    public required string InstanceId { get; init; }

    /// <summary>
    /// GitHub workflow job id; null for bootstrap_failed and for a job end the agent reported
    /// before it learned its job (the workflow then finds the job through the instance). A start
    /// report always has one.
    /// </summary>
    public required long? JobId { get; init; }

    /// <summary>What the agent reported.</summary>
    public required JobEndStatus Status { get; init; }

    /// <summary>Runner exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Job duration as measured by the agent.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>When the job started, if the agent knows (Go's zero time is read as null).</summary>
    public required DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job ended, if it ended (Go's zero time is read as null).</summary>
    public required DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Agent's error text, if any.</summary>
    public required string? Error { get; init; }

    /// <summary>What interrupted the job (e.g. spot-interruption), if any.</summary>
    public required string? InterruptedBy { get; init; }

    /// <summary>SQS message id the input came from, for the audit trail.</summary>
    public required string? SqsMessageId { get; init; }

    /// <summary>
    /// The agent's start-up timing (bootstrap_*_seconds of a started message); null when it sent none
    /// (an older agent, every other status, and inputs of runs started before it was read: not required).
    /// </summary>
    public AgentBootstrapSeconds? Bootstrap { get; init; }
}
