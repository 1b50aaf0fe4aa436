using System.Diagnostics.Metrics;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>Histogram bucket boundaries for durations in seconds: the exporters' defaults (0-10,000) suit
/// milliseconds and would put every start and poll into the first two buckets.</summary>
public static class DurationBuckets
{
    /// <summary>5 ms to 10 min: a start answered at once up to one retried through an outage.</summary>
    public static InstrumentAdvice<double> Seconds { get; } = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };
}
