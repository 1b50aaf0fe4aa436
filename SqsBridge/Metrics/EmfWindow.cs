using RunsFleet.Activities.Metrics;

namespace RunsFleet.SqsBridge.Metrics;

/// <summary>How a bridge instrument becomes one EMF metric per flush window.</summary>
internal enum EmfAggregation
{
    /// <summary>A counter: the sum over the window (0 when nothing happened).</summary>
    Sum,

    /// <summary>A histogram: the values themselves, a uniform sample of at most <see cref="EmfWindow.MaxSamples"/>.</summary>
    Sample,

    /// <summary>An observable counter (a running total): its increase over the window.</summary>
    Increase,

    /// <summary>An observable gauge: its value at the end of the window.</summary>
    Last,
}

/// <summary>An EMF metric: its CloudWatch name and unit, and how its values are aggregated.</summary>
internal sealed record EmfMetric(string Name, string Unit, EmfAggregation Aggregation);

/// <summary>
/// What the bridge measured since the last flush, aggregated to a few EMF values per queue kind:
/// a busy bridge writes the same handful of lines a minute as an idle one, never one per message.
/// Every queue seen gets every <see cref="EmfAggregation.Sum"/> metric, zeros included, so a
/// dashboard shows a quiet minute as 0 rather than as a gap. A count by rejection code is also
/// published per code (dimension <see cref="CodeDimension"/>) next to its per-queue total.
/// </summary>
internal sealed class EmfWindow
{
    public const string QueueDimension = "Queue";
    public const string CodeDimension = "Code";

    /// <summary>CloudWatch takes at most 100 values per metric in one EMF document.</summary>
    public const int MaxSamples = 100;

    private readonly Lock _lock = new();
    private readonly IReadOnlyList<EmfMetric> _sums;
    private readonly SortedSet<string> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<(EmfMetric Metric, string Queue, string? Code), double> _totals = [];
    private readonly Dictionary<(EmfMetric Metric, string Queue), (List<double> Values, long Seen)> _samples = [];
    private readonly Dictionary<(EmfMetric Metric, string Queue), double> _lastValues = [];
    private readonly Dictionary<(EmfMetric Metric, string Queue), double> _increaseBaselines = [];

    public EmfWindow(IEnumerable<EmfMetric> metrics)
    {
        _sums = [.. metrics.Where(m => m.Aggregation == EmfAggregation.Sum)];
    }

    /// <summary>Adds one measurement of <paramref name="metric"/> for a queue (and rejection code).</summary>
    public void Record(EmfMetric metric, string queue, string? code, double value)
    {
        lock (_lock)
        {
            _queues.Add(queue);
            switch (metric.Aggregation)
            {
                case EmfAggregation.Sum:
                    _totals[(metric, queue, code)] = _totals.GetValueOrDefault((metric, queue, code)) + value;
                    break;
                case EmfAggregation.Sample:
                    AddSample(metric, queue, value);
                    break;
                default:
                    // Increase and Last are observed at the end of a window: the latest value counts.
                    _lastValues[(metric, queue)] = value;
                    break;
            }
        }
    }

    /// <summary>The window's metrics, and a new empty window.</summary>
    public IReadOnlyList<MetricDatum> Drain()
    {
        lock (_lock)
        {
            var data = new List<MetricDatum>();
            foreach (var queue in _queues)
            {
                foreach (var metric in _sums)
                {
                    var byCode = _totals.Where(t => t.Key.Metric == metric && t.Key.Queue == queue && t.Key.Code is not null).ToList();
                    data.Add(Datum(metric, queue, byCode.Sum(t => t.Value) + _totals.GetValueOrDefault((metric, queue, null))));
                    data.AddRange(byCode.Select(t => new MetricDatum(metric.Name, t.Value, metric.Unit,
                        new Dictionary<string, string> { [QueueDimension] = queue, [CodeDimension] = t.Key.Code! })));
                }
            }

            data.AddRange(_samples.SelectMany(s => s.Value.Values.Select(v => Datum(s.Key.Metric, s.Key.Queue, v))));
            foreach (var ((metric, queue), value) in _lastValues)
            {
                data.Add(Datum(metric, queue, metric.Aggregation == EmfAggregation.Increase ? Increase(metric, queue, value) : value));
            }

            _totals.Clear();
            _samples.Clear();
            _lastValues.Clear();
            return data;
        }
    }

    private static MetricDatum Datum(EmfMetric metric, string queue, double value) =>
        MetricDatum.With(metric.Name, value, metric.Unit, QueueDimension, queue);

    // Algorithm R: every value of the window has the same chance to be among the published ones.
    private void AddSample(EmfMetric metric, string queue, double value)
    {
        var (values, seen) = _samples.GetValueOrDefault((metric, queue), ([], 0));
        seen++;
        if (values.Count < MaxSamples)
        {
            values.Add(value);
        }
        else if (Random.Shared.NextInt64(seen) is var slot && slot < MaxSamples)
        {
            values[(int)slot] = value;
        }

        _samples[(metric, queue)] = (values, seen);
    }

    // A running total that went down was restarted (its pump replaced): all of it is new.
    private double Increase(EmfMetric metric, string queue, double total)
    {
        var before = _increaseBaselines.GetValueOrDefault((metric, queue));
        _increaseBaselines[(metric, queue)] = total;
        return total >= before ? total - before : total;
    }
}
