using System.Collections.Concurrent;
using RunsFleet.Activities.Metrics;

namespace RunsFleet.Tests.Sweeps.Orphans;

/// <summary>Keeps every published metric for assertions.</summary>
public sealed class RecordingMetricsSink : IMetricsSink
{
    private readonly ConcurrentQueue<MetricDatum> published = new();

    public IReadOnlyList<MetricDatum> Published => [.. this.published];

    public Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken)
    {
        foreach (var metric in metrics)
        {
            this.published.Enqueue(metric);
        }

        return Task.FromResult(metrics.Count);
    }
}
