using RunsFleet.Activities.Sweeps.Orphans;

namespace RunsFleet.Workflows.Sweeps.Orphans;

/// <summary>
/// What an orphan sweep did. <see cref="Instances"/> lists every orphan found (up to
/// cap + 1) and the kept candidates up to the listing limit, each with its decision and
/// reason; <see cref="UnlistedInstances"/> counts the candidates left out of the list.
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
    string Summary);
