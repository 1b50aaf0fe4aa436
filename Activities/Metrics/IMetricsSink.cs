namespace RunsFleet.Activities.Metrics;

/// <summary>Where metrics go. The default writes CloudWatch Embedded Metric Format lines; a
/// PutMetricData sink can replace it without touching any activity.</summary>
public interface IMetricsSink
{
    /// <summary>Publishes the metrics; returns how many values were sent.</summary>
    Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken);
}
