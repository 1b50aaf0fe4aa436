using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunsFleet.Contracts.Sweeps.OrphanedJobs;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.
// It holds the workflow's typed state as JSON: that state names activity types, which Contracts
// does not know, so the workflow converts it (Workflows/Sweeps/SweepContinuation).

/// <summary>Input of OrphanedJobSweep.</summary>
public sealed record OrphanedJobSweepInput
{
    /// <summary>Largest max runtime a trigger or the worker's settings may ask for (a week).</summary>
    public const int MaxRuntimeLimit = 7 * 24 * 60;

    /// <summary>Largest slack a trigger or the worker's settings may ask for (a day).</summary>
    public const int MaxSlackMinutes = 24 * 60;

    /// <summary>Largest blast-radius cap a trigger or the worker's settings may ask for.</summary>
    public const int MaxJobsLimit = 1000;

    public bool DryRun { get; init; }

    /// <summary>Longest a job may run (default 360).</summary>
    public int? MaxRuntimeMinutes { get; init; }

    /// <summary>Margin past the max runtime (default 30).</summary>
    public int? SlackMinutes { get; init; }

    /// <summary>Blast-radius cap: above this many orphaned jobs, mark none (default 100).</summary>
    public int? MaxJobs { get; init; }

    /// <summary>Continuation: the scan so far. Set only by the workflow itself on continue-as-new.</summary>
    [JsonPropertyName("Progress")] // the wire name of running histories
    [JsonConverter(typeof(ContinuationJsonConverter))]
    public JsonElement? Continuation { get; init; }
}
