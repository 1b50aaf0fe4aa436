using System.Text.Json.Serialization;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;

namespace RunsFleet.Workflows.Sweeps.StrayInstances;

/// <summary>What a stray instance sweep did. <see cref="Instances"/> lists every stray instance found (up to
/// cap + 1) and the kept candidates up to the listing limit, each with its decision and
/// reason; <see cref="UnlistedInstances"/> counts the candidates left out of the list.
/// Candidates are the instances some enabled phase took up (Scanned - Young).</summary>
public sealed record StrayInstanceSweepResult
{
    public required bool DryRun { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset Cutoff { get; init; }
    public required int MaxTerminations { get; init; }

    [JsonConverter(typeof(StrayInstancePolicy.ActionJson))]
    public required SweepAction Action { get; init; }

    public required long Scanned { get; init; }
    public required long Young { get; init; }
    public required long Candidates { get; init; }
    public required long OrphansFound { get; init; }
    public required int Terminated { get; init; }
    public required StrayInstanceKeptCounts Kept { get; init; }
    public required IReadOnlyList<StrayInstanceReport> Instances { get; init; }
    public required long UnlistedInstances { get; init; }
    public required int Pages { get; init; }
    public required int Runs { get; init; }
    public required string Summary { get; init; }

    /// <summary>Stray instances found per phase (sums to <see cref="OrphansFound"/>).</summary>
    public StrayInstancePhaseCounts OrphansByPhase { get; init; } = StrayInstancePhaseCounts.Zero;

    /// <summary>Instances terminated per phase (sums to <see cref="Terminated"/>).</summary>
    public StrayInstancePhaseCounts TerminatedByPhase { get; init; } = StrayInstancePhaseCounts.Zero;
}
