using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.SqsBridge.Telemetry;

/// <summary>The bridge's counters and timings on the <see cref="MeterName"/> meter, each tagged with the
/// queue kind (termination, housekeeping): the one source of the bridge's metrics. The hosts'
/// OpenTelemetry pipeline exports them (Prometheus / OTLP); on ECS the collector sidecar writes
/// them to CloudWatch (namespace RunsFleet, dimensions queue and code) under these same names,
/// which the stack's alarms watch (Infrastructure/Monitoring/BridgeAlarms.cs).</summary>
/// <remarks>
/// Wire names (Prometheus adds _total or _seconds; CloudWatch and OTLP show them as they are):
/// <see cref="Received"/>, <see cref="Started"/>, <see cref="Duplicates"/>, <see cref="Joins"/>,
/// <see cref="Rejections"/> (alarmed), <see cref="StartLatency"/> (p99 alarmed),
/// <see cref="Refused"/> (alarmed), <see cref="InFlight"/>; tags <see cref="QueueTag"/>, <see cref="CodeTag"/>.
/// Before issue 14 the bridge also wrote its own EMF lines under Bridge* names; those are gone.
/// </remarks>
public sealed class BridgeMetrics : IDisposable
{
    public const string MeterName = "RunsFleet.SqsBridge";
    public const string QueueTag = "queue";
    public const string CodeTag = "code";

    public const string Received = "runs_fleet.bridge.messages.received";
    public const string Started = "runs_fleet.bridge.workflows.started";
    public const string Duplicates = "runs_fleet.bridge.messages.duplicate";
    public const string Joins = "runs_fleet.bridge.messages.joined";
    public const string Rejections = "runs_fleet.bridge.messages.rejected";
    public const string StartLatency = "runs_fleet.bridge.start.latency";
    public const string Refused = "runs_fleet.bridge.refused.time";
    public const string InFlight = "runs_fleet.bridge.messages.in_flight";

    private static readonly Lazy<BridgeMetrics> Process = new(() => new BridgeMetrics());

    private readonly ConcurrentDictionary<Watched, byte> _watched = new();
    private readonly Counter<long> _received;
    private readonly Counter<long> _started;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _rejections;
    private readonly Histogram<double> _startLatency;
    private readonly bool _ownsMeter;

    /// <param name="meters">The host's factory; null creates a meter of this instance's own.</param>
    public BridgeMetrics(IMeterFactory? meters = null)
    {
        _ownsMeter = meters is null;
        Meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _received = Meter.CreateCounter<long>(Received, "{message}", "Messages received from the queue");
        _started = Meter.CreateCounter<long>(Started, "{workflow}", "Workflow runs the bridge started");
        _duplicates = Meter.CreateCounter<long>(
            Duplicates, "{message}", "Messages whose workflow id had already been started (acknowledged)");
        _joins = Meter.CreateCounter<long>(Joins, "{message}", "Housekeeping triggers that joined a running sweep");
        _rejections = Meter.CreateCounter<long>(
            Rejections, "{message}", "Invalid messages left for the dead-letter queue, by the parser's rejection code");
        _startLatency = Meter.CreateHistogram(
            StartLatency,
            "s",
            "From the first start attempt of a message to Temporal's answer, retries included",
            tags: null,
            DurationBuckets.Seconds);
        Meter.CreateObservableCounter(
            Refused, ObserveRefused, "s", "Time Temporal refused starts, so receiving was stopped");
        Meter.CreateObservableGauge(
            InFlight, ObserveInFlight, "{message}", "Messages held: received and not yet deleted or handed back");
    }

    /// <summary>Used by a pump built without one (tests, benchmarks): one per process, like a static meter.</summary>
    public static BridgeMetrics Shared => Process.Value;

    /// <summary>The meter the instruments live on (listeners filter on it).</summary>
    public Meter Meter { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    internal void MessagesReceived(string queue, int count) => _received.Add(count, Tag(queue));

    /// <summary>Counts a handled message by its outcome; an answered start also records its latency.</summary>
    internal void Handled(string queue, MessageOutcome outcome, TimeSpan latency)
    {
        if (!outcome.Acknowledged)
        {
            var code = new KeyValuePair<string, object?>(CodeTag, outcome.Code?.ToString() ?? "Unknown");
            _rejections.Add(1, Tag(queue), code);
            return;
        }

        var counter = outcome.Status switch
        {
            StartStatus.Started => _started,
            StartStatus.AlreadyStarted => _duplicates,
            StartStatus.JoinedRunning => _joins,
            _ => null,
        };
        counter?.Add(1, Tag(queue));
        _startLatency.Record(latency.TotalSeconds, Tag(queue));
    }

    /// <summary>Reports a pump's held messages and refused time until the returned handle is disposed. Every
    /// counter of the queue starts at 0 here, so a quiet queue shows 0 rather than no series at all.</summary>
    internal IDisposable Watch(string queue, Func<int> held, Func<TimeSpan> refused)
    {
        foreach (var counter in new[] { _received, _started, _duplicates, _joins, _rejections })
        {
            counter.Add(0, Tag(queue));
        }

        var watched = new Watched(queue, held, refused, _watched);
        _watched[watched] = 0;
        return watched;
    }

    private static KeyValuePair<string, object?> Tag(string queue) => new(QueueTag, queue);

    private IEnumerable<Measurement<double>> ObserveRefused() =>
        _watched.Keys.GroupBy(w => w.Queue, StringComparer.Ordinal)
            .Select(q => new Measurement<double>(q.Sum(w => w.Refused().TotalSeconds), Tag(q.Key)));

    private IEnumerable<Measurement<int>> ObserveInFlight() =>
        _watched.Keys.GroupBy(w => w.Queue, StringComparer.Ordinal)
            .Select(q => new Measurement<int>(q.Sum(w => w.Held()), Tag(q.Key)));

    // Reference identity: each pump registers once and removes exactly its own entry.
    private sealed class Watched(
        string queue, Func<int> held, Func<TimeSpan> refused, ConcurrentDictionary<Watched, byte> registry)
        : IDisposable
    {
        public string Queue => queue;

        public Func<int> Held => held;

        public Func<TimeSpan> Refused => refused;

        public void Dispose() => registry.TryRemove(this, out _);
    }
}
