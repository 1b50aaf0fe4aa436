using RunsFleet.Benchmarks.Sweeps.Drivers;
using RunsFleet.Benchmarks.Sweeps.Scenarios;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>One measured sweep: how its data is seeded (benchmark process) and how its activities are driven (worker process).</summary>
internal sealed record SweepEntry(
    string Name,
    Func<SeedContext, int, CancellationToken, Task<SeededSweep>> SeedAsync,
    Func<SweepClients, SweepTarget, Task<long>> RunAsync);

/// <summary>The five sweeps, in the order they are measured.</summary>
internal static class SweepCatalog
{
    public static IReadOnlyList<SweepEntry> All { get; } =
    [
        new(StrayInstanceSweepScenario.Name, StrayInstanceSweepScenario.SeedAsync, StrayInstanceSweepDriver.RunAsync),
        new(StaleSsmSweepScenario.Name, StaleSsmSweepScenario.SeedAsync, StaleSsmSweepDriver.RunAsync),
        new(JobArchiveScenario.Name, JobArchiveScenario.SeedAsync, JobArchiveDriver.RunAsync),
        new(PoolAuditScenario.Name, PoolAuditScenario.SeedAsync, PoolAuditDriver.RunAsync),
        new(OrphanedJobSweepScenario.Name, OrphanedJobSweepScenario.SeedAsync, OrphanedJobSweepDriver.RunAsync),
    ];

    public static SweepEntry Named(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown sweep '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}", nameof(name));
}
