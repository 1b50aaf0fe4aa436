namespace RunsFleet.Benchmarks;

/// <summary>A named benchmark: what it measures and how to run it with its own arguments.</summary>
/// <param name="Description">One line for the list of benchmarks.</param>
/// <param name="Run">Arguments after the name, cancellation; returns the exit code.</param>
internal sealed record BenchmarkEntry(
    string Description,
    Func<IReadOnlyList<string>, CancellationToken, Task<int>> Run);
