using System.Text.Json;

namespace RunsFleet.Tests.Activities.Metrics;

/// <summary>One parsed Embedded Metric Format line, read the way CloudWatch Logs reads it.</summary>
internal sealed record EmfLine(
    long Timestamp,
    string Namespace,
    IReadOnlyList<IReadOnlyList<string>> DimensionSets,
    IReadOnlyDictionary<string, string> Units,
    JsonElement Root)
{
    public static IReadOnlyList<EmfLine> ParseAll(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    public static EmfLine Parse(string line)
    {
        // Clone: the document is disposed, the element must outlive it.
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement.Clone();
        var aws = root.GetProperty("_aws");
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray().ToList());
        var sets = directive.GetProperty("Dimensions").EnumerateArray()
            .Select(set => (IReadOnlyList<string>)set.EnumerateArray().Select(d => d.GetString()!).ToList())
            .ToList();
        var units = directive.GetProperty("Metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("Name").GetString()!, m => m.GetProperty("Unit").GetString()!);
        var timestamp = aws.GetProperty(nameof(Timestamp)).GetInt64();
        var metricNamespace = directive.GetProperty(nameof(Namespace)).GetString()!;
        return new EmfLine(timestamp, metricNamespace, sets, units, root);
    }

    /// <summary>The values of a metric: a number or an array of numbers on the root.</summary>
    public IReadOnlyList<double> Values(string metric)
    {
        var value = Root.GetProperty(metric);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetDouble()).ToList()
            : [value.GetDouble()];
    }

    /// <summary>A dimension's value on the root (every dimension key must be a root member).</summary>
    public string? Dimension(string name) =>
        Root.TryGetProperty(name, out var value) ? value.GetString() : null;
}
