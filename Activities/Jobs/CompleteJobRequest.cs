namespace RunsFleet.Activities.Jobs;

/// <summary>Marks a job record terminal on behalf of the instance that ran it. An activity input recorded in histories:
/// the property names and their order are the JSON, so keep both.</summary>
public sealed record CompleteJobRequest : IJobOnInstance
{
    /// <summary>GitHub workflow job id (the table's key).</summary>
    public required long JobId { get; init; }

    /// <summary>Instance reporting the end; must own the record.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Terminal record status: completed, failed, timeout or interrupted.</summary>
    public required string Status { get; init; }

    /// <summary>When the job ended (the workflow supplies its own time when the agent did not).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>When the job started; written only when the record has no started_at yet.</summary>
    public required DateTimeOffset? StartedAt { get; init; }

    /// <summary>Runner exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Job duration in seconds (0 when unknown).</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Agent's error text, if any.</summary>
    public required string? Error { get; init; }

    /// <summary>What interrupted the job, if any.</summary>
    public required string? InterruptedBy { get; init; }
}
