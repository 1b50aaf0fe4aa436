using RunsFleet.Activities.Sweeps.Orphans;

namespace RunsFleet.Workflows.Sweeps.Orphans;

/// <summary>
/// What an orphan sweep did. <see cref="Instances"/> lists every orphan found (up to
/// cap + 1) and the kept candidates up to the listing limit, each with its decision and
/// reason; <see cref="UnlistedInstances"/> counts the candidates left out of the list.
/// Candidates are the instances some enabled phase took up (Scanned - Young).
/// </summary>
public sealed record OrphanSweepResult(
    bool DryRun,
    DateTimeOffset Now,
    DateTimeOffset Cutoff,
    int MaxTerminations,
    OrphanAction Action,
    long Scanned,
    long Young,
    long Candidates,
    long OrphansFound,
    int Terminated,
    OrphanKeptCounts Kept,
    IReadOnlyList<OrphanInstanceReport> Instances,
    long UnlistedInstances,
    int Pages,
    int Runs,
    string Summary)
{
    /// <summary>Orphans found per phase (sums to <see cref="OrphansFound"/>).</summary>
    public OrphanPhaseCounts OrphansByPhase { get; init; } = OrphanPhaseCounts.Zero;

    /// <summary>Instances terminated per phase (sums to <see cref="Terminated"/>).</summary>
    public OrphanPhaseCounts TerminatedByPhase { get; init; } = OrphanPhaseCounts.Zero;
}
