using RunsFleet.Activities.Metrics;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>Metrics go nowhere in the benchmark (EMF lines would only flood the console); the count is kept.</summary>
internal sealed class DiscardingMetricsSink : IMetricsSink
{
    public Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(metrics?.Count ?? 0);
}
