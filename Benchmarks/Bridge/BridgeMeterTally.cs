using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// Listens to the bridge's meter during a phase, as the EMF publisher or an OpenTelemetry exporter
/// would, so the measured throughput includes recording every message; the totals are checked
/// against the phase (every message received and started once).
/// </summary>
internal sealed class BridgeMeterTally : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _totals = new(StringComparer.Ordinal);

    public BridgeMeterTally()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BridgeMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, 1));
        _listener.Start();
    }

    /// <summary>The sum of a counter, or the number of values of a histogram, so far.</summary>
    public long Total(string instrument) => (long)_totals.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();

    private void Add(string instrument, double value) => _totals.AddOrUpdate(instrument, value, (_, total) => total + value);
}
