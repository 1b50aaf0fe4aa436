using System.Text.Json.Serialization;

namespace RunsFleet.Workflows.Sweeps.OrphanedJobs;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.

/// <summary>Input of OrphanedJobSweep.</summary>
public sealed record OrphanedJobSweepInput
{
    public bool DryRun { get; init; }

    /// <summary>Longest a job may run (default 360).</summary>
    public int? MaxRuntimeMinutes { get; init; }

    /// <summary>Margin past the max runtime (default 30).</summary>
    public int? SlackMinutes { get; init; }

    /// <summary>Blast-radius cap: above this many orphaned jobs, mark none (default 100).</summary>
    public int? MaxJobs { get; init; }

    /// <summary>Continuation: the scan so far. Set only by the workflow itself on continue-as-new.</summary>
    [JsonPropertyName("Progress")] // the wire name of running histories
    public OrphanedJobSweepContinuation? Continuation { get; init; }
}
