using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>Hands the Temporal SDK's own metrics (task queue latencies, failed activities and workflow
/// tasks, worker slots, client request failures...) from its Rust core to a .NET
/// <see cref="Meter"/>, so they leave the process through the same OpenTelemetry pipeline as
/// our own meters (Prometheus and/or OTLP) instead of a second exporter inside the core.
/// Durations arrive as float seconds (<see cref="Options"/>), the unit Prometheus expects; the
/// core still names them by their declared unit ("duration", or "ms" for a metric declared in
/// milliseconds), so a float histogram with such a unit is recorded as seconds, with seconds buckets.</summary>
internal sealed class TemporalMetricsAdapter : ICustomMetricMeter
{
    /// <summary>Name of the meter the SDK's metrics are recorded on.</summary>
    public const string MeterName = "Temporalio";

    public TemporalMetricsAdapter(Meter meter)
    {
        Meter = meter ?? throw new ArgumentNullException(nameof(meter));
    }

    /// <summary>The meter every SDK metric is created on.</summary>
    public Meter Meter { get; }

    /// <summary>Runtime options for this adapter: durations as float seconds.</summary>
    public static CustomMetricMeterOptions Options =>
        new() { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds };

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct => new Counter<T>(Meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct
    {
        // The SDK documents TimeSpan as a possible type; a .NET histogram cannot hold one, so it is recorded in
        // seconds.
        if (typeof(T) == typeof(TimeSpan))
        {
            return (ICustomMetricHistogram<T>)(object)new DurationHistogram(Meter.CreateHistogram(name, "s",
                description, tags: null, DurationBuckets.Seconds));
        }

        if (typeof(T) == typeof(double) && unit is "duration" or "ms" or "s")
        {
            return (ICustomMetricHistogram<T>)(object)new Histogram<double>(Meter.CreateHistogram(name, "s",
                description, tags: null, DurationBuckets.Seconds));
        }

        return new Histogram<T>(Meter.CreateHistogram<T>(name, unit, description));
    }

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct => new Gauge<T>(Meter.CreateGauge<T>(name, unit, description));

    /// <summary>A tag set is an immutable array: the core hands it back on every update, so it is built once.</summary>
    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var prior = appendFrom as KeyValuePair<string, object?>[] ?? [];
        var added = tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).ToList();

        // A key given again replaces its earlier value (the core appends, e.g. per-activity tags on worker tags).
        return prior.Where(p => added.TrueForAll(a => a.Key != p.Key)).Concat(added).ToArray();
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(object tags) => (KeyValuePair<string,
        object?>[])tags;

    private sealed class Counter<T>(System.Diagnostics.Metrics.Counter<T> instrument) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => instrument.Add(value, Tags(tags));
    }

    private sealed class Histogram<T>(System.Diagnostics.Metrics.Histogram<T> instrument) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => instrument.Record(value, Tags(tags));
    }

    private sealed class DurationHistogram(System.Diagnostics.Metrics.Histogram<double> instrument)
        : ICustomMetricHistogram<TimeSpan>
    {
        public void Record(TimeSpan value, object tags) => instrument.Record(value.TotalSeconds, Tags(tags));
    }

    private sealed class Gauge<T>(System.Diagnostics.Metrics.Gauge<T> instrument) : ICustomMetricGauge<T>
        where T : struct
    {
        public void Set(T value, object tags) => instrument.Record(value, Tags(tags));
    }
}
