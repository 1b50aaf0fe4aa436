
namespace RunsFleet.Contracts.JobTermination;

/// <summary>A validated termination message: the input of one JobTermination workflow.</summary>
/// <param name="InstanceId">EC2 instance that ran (or was to run) the job.</param>
/// <param name="JobId">
/// GitHub workflow job id; null for bootstrap_failed and for a job end the agent reported
/// before it learned its job (the workflow then finds the job through the instance). A start
/// report always has one.
/// </param>
/// <param name="Status">What the agent reported.</param>
/// <param name="ExitCode">Runner exit code.</param>
/// <param name="DurationSeconds">Job duration as measured by the agent.</param>
/// <param name="StartedAt">When the job started, if the agent knows (Go's zero time is read as null).</param>
/// <param name="CompletedAt">When the job ended, if it ended (Go's zero time is read as null).</param>
/// <param name="Error">Agent's error text, if any.</param>
/// <param name="InterruptedBy">What interrupted the job (e.g. spot-interruption), if any.</param>
/// <param name="SqsMessageId">SQS message id the input came from, for the audit trail.</param>
/// <param name="Bootstrap">
/// The agent's start-up timing (bootstrap_*_seconds of a started message); null when it sent none
/// (an older agent, every other status, and inputs of runs started before it was read).
/// </param>
public sealed record JobTerminationInput(
    string InstanceId,
    long? JobId,
    JobEndStatus Status,
    int ExitCode,
    double DurationSeconds,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    string? InterruptedBy,
    string? SqsMessageId,
    AgentBootstrapSeconds? Bootstrap = null);
