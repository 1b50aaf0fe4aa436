using System.Text.Json;
using System.Text.Json.Serialization;
namespace RunsFleet.Contracts.Sweeps.JobArchive;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.
// It holds the workflow's typed state as JSON: that state names activity types, which Contracts
// does not know, so the workflow converts it (Workflows/Sweeps/SweepContinuation).

/// <summary>Input of OldJobArchival.</summary>
public sealed record JobArchiveInput
{
    /// <summary>Largest retention a trigger or the worker's settings may ask for.</summary>
    public const int MaxRetentionDays = 3650;

    public bool DryRun { get; init; }

    /// <summary>Records completed longer ago than this are archived and deleted (default 7).</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    [JsonConverter(typeof(ContinuationJsonConverter))]
    public JsonElement? Continuation { get; init; }
}
