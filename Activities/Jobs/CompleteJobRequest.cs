namespace RunsFleet.Activities.Jobs;

/// <summary>Marks a job record terminal on behalf of the instance that ran it.</summary>
/// <param name="JobId">GitHub workflow job id (the table's key).</param>
/// <param name="InstanceId">Instance reporting the end; must own the record.</param>
/// <param name="Status">Terminal record status: completed, failed, timeout or interrupted.</param>
/// <param name="CompletedAt">When the job ended (the workflow supplies its own time when the agent did not).</param>
/// <param name="StartedAt">When the job started; written only when the record has no started_at yet.</param>
/// <param name="ExitCode">Runner exit code.</param>
/// <param name="DurationSeconds">Job duration in seconds (0 when unknown).</param>
/// <param name="Error">Agent's error text, if any.</param>
/// <param name="InterruptedBy">What interrupted the job, if any.</param>
public sealed record CompleteJobRequest(
    long JobId,
    string InstanceId,
    string Status,
    DateTimeOffset CompletedAt,
    DateTimeOffset? StartedAt,
    int ExitCode,
    double DurationSeconds,
    string? Error,
    string? InterruptedBy) : IJobOnInstance;
