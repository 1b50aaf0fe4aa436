using RunsFleet.Activities.Metrics;

namespace RunsFleet.Tests.Support;

/// <summary>
/// IMetricsSink that keeps what was published, for activity tests:
/// <c>var sink = new RecordingMetricsSink(); ... Assert.Equal(1, sink.Single("JobsCompleted").Value);</c>.
/// <see cref="FailNext"/> makes the next publish throw (to test that metrics failures do not break the caller).
/// </summary>
public sealed class RecordingMetricsSink : IMetricsSink
{
    private readonly List<IReadOnlyList<MetricDatum>> _batches = [];
    private readonly Queue<Exception> _failures = new();

    /// <summary>Each PublishAsync call's metrics, in call order.</summary>
    public IReadOnlyList<IReadOnlyList<MetricDatum>> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    /// <summary>All published metrics, flattened in publish order.</summary>
    public IReadOnlyList<MetricDatum> All => [.. Batches.SelectMany(b => b)];

    /// <summary>Published metrics called <paramref name="name"/>.</summary>
    public IReadOnlyList<MetricDatum> Named(string name) => [.. All.Where(m => m.Name == name)];

    /// <summary>The only metric called <paramref name="name"/>; throws listing all names otherwise.</summary>
    public MetricDatum Single(string name)
    {
        var matches = Named(name);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one metric {name} but found {matches.Count}; published: [{string.Join(", ", All.Select(m => m.Name))}].");
    }

    /// <summary>The next PublishAsync call throws <paramref name="error"/> (default InvalidOperationException) without recording.</summary>
    public void FailNext(Exception? error = null)
    {
        lock (_batches)
        {
            _failures.Enqueue(error ?? new InvalidOperationException("Injected metrics failure"));
        }
    }

    /// <inheritdoc />
    public Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_batches)
        {
            if (_failures.Count > 0)
            {
                throw _failures.Dequeue();
            }

            _batches.Add([.. metrics]);
        }

        return Task.FromResult(metrics.Count);
    }
}
