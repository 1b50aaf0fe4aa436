using RunsFleet.Benchmarks.Sweeps.Drivers;
using RunsFleet.Benchmarks.Sweeps.Scenarios;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>One measured sweep: how its data is seeded (benchmark process) and how its activities are driven (worker process).</summary>
internal sealed record SweepEntry(
    SweepKind Kind,
    Func<SeedContext, int, CancellationToken, Task<SeededSweep>> SeedAsync,
    Func<SweepClients, SweepTarget, Task<long>> RunAsync)
{
    /// <summary>The scenario's name in the report and the tests: the sweep's CLI name (stray-instances, ...).</summary>
    public string Name => SweepDefinition.Of(Kind).CliName;

    /// <summary>The names the scenario answers to: its own, then the sweep's old CLI names and its task type, which
    /// named the scenarios before issue 14 (orphans, stale_ssm, old_jobs, pool_audit, orphaned_jobs).</summary>
    public IEnumerable<string> Names => [.. SweepDefinition.Of(Kind).Names, SweepDefinition.Of(Kind).TaskType];
}

/// <summary>The five sweeps, in the order they are measured.</summary>
internal static class SweepCatalog
{
    public static IReadOnlyList<SweepEntry> All { get; } =
    [
        new(SweepKind.StrayInstances, StrayInstanceSweepScenario.SeedAsync, (c, t) => StrayInstanceSweepDriver.For(c, t).RunAsync()),
        new(SweepKind.StaleSsm, StaleSsmSweepScenario.SeedAsync, (c, t) => StaleSsmSweepDriver.For(c, t).RunAsync()),
        new(SweepKind.JobArchive, JobArchiveScenario.SeedAsync, (c, t) => JobArchiveDriver.For(c, t).RunAsync()),
        new(SweepKind.PoolAudit, PoolAuditScenario.SeedAsync, (c, t) => PoolAuditDriver.For(c, t).RunAsync()),
        new(SweepKind.OrphanedJobs, OrphanedJobSweepScenario.SeedAsync, (c, t) => OrphanedJobSweepDriver.For(c, t).RunAsync()),
    ];

    public static SweepEntry Named(string name) =>
        All.FirstOrDefault(e => e.Names.Contains(name, StringComparer.Ordinal))
        ?? throw new ArgumentException($"Unknown sweep '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}", nameof(name));
}
