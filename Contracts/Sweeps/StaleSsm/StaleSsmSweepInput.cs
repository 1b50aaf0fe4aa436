using System.Text.Json;
using System.Text.Json.Serialization;
namespace RunsFleet.Contracts.Sweeps.StaleSsm;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.
// It holds the workflow's typed state as JSON: that state names activity types, which Contracts
// does not know, so the workflow converts it (Workflows/Sweeps/SweepContinuation).

/// <summary>Input of StaleSsmSweep.</summary>
public sealed record StaleSsmSweepInput
{
    /// <summary>Largest grace a trigger or the worker's settings may ask for (a week).</summary>
    public const int MaxGraceMinutes = 7 * 24 * 60;

    public bool DryRun { get; init; }

    /// <summary>Parameters younger than this are kept (default 10).</summary>
    public int? GraceMinutes { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    [JsonConverter(typeof(ContinuationJsonConverter))]
    public JsonElement? Continuation { get; init; }
}
