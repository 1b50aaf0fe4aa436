using RunsFleet.Activities.Sweeps.StrayInstances;

namespace RunsFleet.Workflows.Sweeps.StrayInstances;

/// <summary>
/// What an orphan sweep did. <see cref="Instances"/> lists every orphan found (up to
/// cap + 1) and the kept candidates up to the listing limit, each with its decision and
/// reason; <see cref="UnlistedInstances"/> counts the candidates left out of the list.
/// Candidates are the instances some enabled phase took up (Scanned - Young).
/// </summary>
public sealed record StrayInstanceSweepResult(
    bool DryRun,
    DateTimeOffset Now,
    DateTimeOffset Cutoff,
    int MaxTerminations,
    StrayInstanceAction Action,
    long Scanned,
    long Young,
    long Candidates,
    long OrphansFound,
    int Terminated,
    StrayInstanceKeptCounts Kept,
    IReadOnlyList<StrayInstanceInstanceReport> Instances,
    long UnlistedInstances,
    int Pages,
    int Runs,
    string Summary)
{
    /// <summary>Orphans found per phase (sums to <see cref="OrphansFound"/>).</summary>
    public StrayInstancePhaseCounts OrphansByPhase { get; init; } = StrayInstancePhaseCounts.Zero;

    /// <summary>Instances terminated per phase (sums to <see cref="Terminated"/>).</summary>
    public StrayInstancePhaseCounts TerminatedByPhase { get; init; } = StrayInstancePhaseCounts.Zero;
}
