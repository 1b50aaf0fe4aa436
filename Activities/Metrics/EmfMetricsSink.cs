using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace RunsFleet.Activities.Metrics;

/// <summary>Writes metrics as CloudWatch Embedded Metric Format JSON, one object per line, to
/// standard output. On ECS the awslogs driver ships stdout to CloudWatch Logs, which
/// extracts the metrics: no CloudWatch SDK needed and no extra API calls per job.</summary>
public sealed class EmfMetricsSink : IMetricsSink
{
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly string _metricNamespace;
    private readonly Lock _gate = new();

    /// <summary>Creates a sink that writes to <paramref name="output"/> (stdout in production).</summary>
    public EmfMetricsSink(IOptions<MetricsOptions> options, TimeProvider time, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metricNamespace = options.Value.Namespace;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _output = output ?? Console.Out;
    }

    /// <inheritdoc />
    public Task<int> PublishAsync(IReadOnlyList<MetricDatum> metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();

        // JSON has no NaN or infinity (the serializer throws) and CloudWatch stores neither: one bad
        // value must not lose the whole batch, so it is dropped and not counted as sent.
        var sendable = metrics.Where(m => double.IsFinite(m.Value)).ToList();
        var lines = sendable
            .GroupBy(m => DimensionKey(m.Dimensions), StringComparer.Ordinal)
            .Select(group => Render(group.ToList(), timestamp))
            .ToList();
        lock (_gate)
        {
            foreach (var line in lines)
            {
                _output.WriteLine(line);
            }

            _output.Flush();
        }

        return Task.FromResult(sendable.Count);
    }

    // One EMF document per distinct dimension set: EMF applies a document's dimension
    // sets to every metric in it, so metrics with different dimensions cannot share one.
    private string Render(IReadOnlyList<MetricDatum> metrics, long timestamp)
    {
        var dimensions = metrics[0].Dimensions;
        var definitions = new JsonArray();
        var root = new JsonObject();
        foreach (var metric in metrics.GroupBy(m => m.Name, StringComparer.Ordinal))
        {
            definitions.Add(new JsonObject { ["Name"] = metric.Key, ["Unit"] = metric.First().Unit });
            var values = metric.Select(m => m.Value).ToList();
            root[metric.Key] = values.Count == 1
                ? JsonValue.Create(values[0])
                : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        var dimensionNames = new JsonArray(dimensions.Keys.OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        root["_aws"] = new JsonObject
        {
            ["Timestamp"] = timestamp,
            ["CloudWatchMetrics"] = new JsonArray(new JsonObject
            {
                ["Namespace"] = _metricNamespace,
                ["Dimensions"] = new JsonArray(dimensionNames),
                ["Metrics"] = definitions,
            }),
        };
        foreach (var (name, value) in dimensions)
        {
            root[name] = value;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static string DimensionKey(IReadOnlyDictionary<string, string> dimensions) =>
        string.Join('\u001f', dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d =>
            d.Key + '=' + d.Value));
}
