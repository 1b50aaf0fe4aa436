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
        new(OrphanSweepScenario.Name, OrphanSweepScenario.SeedAsync, (c, t) => OrphanSweepDriver.For(c, t).RunAsync()),
        new(StaleSsmSweepScenario.Name, StaleSsmSweepScenario.SeedAsync, (c, t) => StaleSsmSweepDriver.For(c, t).RunAsync()),
        new(OldJobArchivalScenario.Name, OldJobArchivalScenario.SeedAsync, (c, t) => OldJobArchivalDriver.For(c, t).RunAsync()),
        new(PoolAuditScenario.Name, PoolAuditScenario.SeedAsync, (c, t) => PoolAuditDriver.For(c, t).RunAsync()),
        new(
            OrphanedJobSweepScenario.Name,
            OrphanedJobSweepScenario.SeedAsync,
            (c, t) => OrphanedJobSweepDriver.For(c, t).RunAsync()),
    ];

    public static SweepEntry Named(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown sweep '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}", nameof(name));
}
