using System.Collections.Concurrent;
using RunsFleet.Activities.Metrics;

namespace RunsFleet.Tests.Sweeps.StaleSsm;

/// <summary>An <see cref="IMetricsSink"/> that keeps what activities publish, for assertions.</summary>
public sealed class RecordingMetricsSink : IMetricsSink
{
    private readonly ConcurrentQueue<MetricDatum> published = new();

    public IReadOnlyList<MetricDatum> Published => [.. this.published];

    /// <summary>Sum of every published value of <paramref name="name"/>.</summary>
    public double Sum(string name) => this.published.Where(m => m.Name == name).Sum(m => m.Value);

    public Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken)
    {
        foreach (var metric in metrics)
        {
            this.published.Enqueue(metric);
        }

        return Task.FromResult(metrics.Count);
    }
}
