using System.Diagnostics.Metrics;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.Tests.SqsBridge.Telemetry;

/// <summary>
/// A pump with a <see cref="BridgeMetrics"/> of its own (its own meter factory, so parallel tests
/// never see each other's values) and collectors on each instrument: what any exporter of the
/// meter (Prometheus, OTLP and the collector's EMF) reads.
/// </summary>
internal sealed class MeteredBridge : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<IDisposable> _owned = [];

    public MeteredBridge(BridgeOptions options)
    {
        Meters = _services.GetRequiredService<IMeterFactory>();
        Metrics = new BridgeMetrics(Meters);
        Options = options;
    }

    public BridgeOptions Options { get; }

    public IMeterFactory Meters { get; }

    public BridgeMetrics Metrics { get; }

    /// <summary>A collector of one instrument of this bridge's meter, created before anything is recorded.</summary>
    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct
    {
        var collector = new MetricCollector<T>(Meters, BridgeMetrics.MeterName, instrument);
        _owned.Add(collector);
        return collector;
    }

    public SqsQueuePump Pump(IAmazonSQS sqs, string queueUrl, IQueueMessageHandler handler, FakeLogCollector logs)
    {
        var pump = new SqsQueuePump(sqs, queueUrl, handler, Options, new FakeLogger<SqsQueuePump>(logs), TimeProvider.System, Metrics);
        _owned.Add(pump);
        return pump;
    }

    /// <summary>The last observed value of an observable instrument for a queue, observed now.</summary>
    public static double Observe<T>(MetricCollector<T> collector, string queue)
        where T : struct
    {
        collector.RecordObservableInstruments();
        var last = collector.GetMeasurementSnapshot().Last(m => Equals(m.Tags.GetValueOrDefault(BridgeMetrics.QueueTag), queue));
        return Convert.ToDouble(last.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The sum of a counter's measurements carrying <paramref name="tags"/>.</summary>
    public static long Sum(MetricCollector<long> collector, params (string Key, string Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
            .Sum(m => m.Value);

    public void Dispose()
    {
        _owned.ForEach(d => d.Dispose());
        Metrics.Dispose();
        _services.Dispose();
    }
}
