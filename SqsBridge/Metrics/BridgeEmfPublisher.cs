using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Metrics;
using RunsFleet.SqsBridge.Configuration;

namespace RunsFleet.SqsBridge.Metrics;

/// <summary>
/// Publishes the bridge's <see cref="BridgeMetrics"/> as CloudWatch EMF lines through the
/// <see cref="IMetricsSink"/>: it listens to the bridge's meter, aggregates in an
/// <see cref="EmfWindow"/> and flushes every <see cref="BridgeOptions.MetricsFlushInterval"/>
/// and once more at stop. Registered before the pumps, so it stops after them and the last flush
/// includes what their drain did.
/// </summary>
internal sealed class BridgeEmfPublisher : BackgroundService
{
    /// <summary>Each instrument's EMF metric (CloudWatch name in the RUNS_FLEET_METRICS_NAMESPACE namespace).</summary>
    public static readonly IReadOnlyDictionary<string, EmfMetric> EmfMetrics = new Dictionary<string, EmfMetric>(StringComparer.Ordinal)
    {
        [BridgeMetrics.Received] = new("BridgeMessagesReceived", "Count", EmfAggregation.Sum),
        [BridgeMetrics.Started] = new("BridgeWorkflowsStarted", "Count", EmfAggregation.Sum),
        [BridgeMetrics.Duplicates] = new("BridgeDuplicates", "Count", EmfAggregation.Sum),
        [BridgeMetrics.Joins] = new("BridgeJoins", "Count", EmfAggregation.Sum),
        [BridgeMetrics.Rejections] = new("BridgeRejections", "Count", EmfAggregation.Sum),
        [BridgeMetrics.StartLatency] = new("BridgeStartLatency", "Seconds", EmfAggregation.Sample),
        [BridgeMetrics.Refused] = new("BridgeRefusedSeconds", "Seconds", EmfAggregation.Increase),
        [BridgeMetrics.InFlight] = new("BridgeMessagesInFlight", "Count", EmfAggregation.Last),
    };

    private static readonly TimeSpan FinalFlushBound = TimeSpan.FromSeconds(5);

    private readonly IMetricsSink _sink;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<BridgeEmfPublisher> _logger;
    private readonly EmfWindow _window = new(EmfMetrics.Values);
    private readonly MeterListener _listener = new();

    public BridgeEmfPublisher(BridgeMetrics metrics, IMetricsSink sink, BridgeOptions options, TimeProvider time, ILogger<BridgeEmfPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        _sink = sink;
        _interval = options.MetricsFlushInterval;
        _time = time;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This bridge's meter only: another host's in the same process (tests) is not ours to publish.
            if (instrument.Meter == metrics.Meter && EmfMetrics.TryGetValue(instrument.Name, out var emf))
            {
                listener.EnableMeasurementEvents(instrument, emf);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        _listener.Start();
    }

    /// <summary>Publishes what was measured since the last flush; returns how many values were sent.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        _listener.RecordObservableInstruments();
        var data = _window.Drain();
        if (data.Count == 0)
        {
            return 0;
        }

        try
        {
            return await _sink.PublishAsync(data, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Metrics must never stop the bridge; this window's values are lost, the next one is complete.
            _logger.LogWarning(e, "Publishing {Count} bridge metric values failed", data.Count);
            return 0;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var bound = new CancellationTokenSource(FinalFlushBound, _time);
        await FlushAsync(bound.Token);
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes the rest.
        }
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? queue = null;
        string? code = null;
        foreach (var (key, tag) in tags)
        {
            queue = key == BridgeMetrics.QueueTag ? tag as string : queue;
            code = key == BridgeMetrics.CodeTag ? tag as string : code;
        }

        if (state is EmfMetric metric && queue is not null)
        {
            _window.Record(metric, queue, code, value);
        }
    }
}
