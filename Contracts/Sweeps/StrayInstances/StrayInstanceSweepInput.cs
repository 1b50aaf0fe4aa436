using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunsFleet.Contracts.Sweeps.StrayInstances;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.
// It holds the workflow's typed state as JSON: that state names activity types, which Contracts
// does not know, so the workflow converts it (Workflows/Sweeps/SweepContinuation).

/// <summary>Input of OrphanSweep.</summary>
public sealed record StrayInstanceSweepInput
{
    /// <summary>Largest max runtime a trigger or the worker's settings may ask for (a week).</summary>
    public const int MaxRuntimeLimit = 7 * 24 * 60;

    /// <summary>Largest blast-radius cap a trigger or the worker's settings may ask for.</summary>
    public const int MaxTerminationsLimit = 1000;

    public bool DryRun { get; init; }

    /// <summary>Longest a job may run before its instance is suspect (default 360).</summary>
    public int? MaxRuntimeMinutes { get; init; }

    /// <summary>Blast-radius cap: above this many orphans, terminate none (default 50).</summary>
    public int? MaxTerminations { get; init; }

    /// <summary>Listing pages per run before continue-as-new (default: worker configuration; tests set it
    /// small).</summary>
    public int? PagesPerRun { get; init; }

    /// <summary>Continuation: the scan so far. Set only by the workflow itself on continue-as-new.</summary>
    [JsonPropertyName("Progress")] // the wire name of running histories
    [JsonConverter(typeof(ContinuationJsonConverter))]
    public JsonElement? Continuation { get; init; }
}
