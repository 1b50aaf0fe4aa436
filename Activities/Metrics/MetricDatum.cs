namespace RunsFleet.Activities.Metrics;

/// <summary>One metric value with its CloudWatch unit and dimensions.</summary>
/// <param name="Name">Metric name, e.g. JobDuration.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">A CloudWatch unit name: Seconds, Count, None, ...</param>
/// <param name="Dimensions">Dimension name to value; empty for a namespace-wide metric.</param>
public sealed record MetricDatum(
    string Name,
    double Value,
    string Unit,
    IReadOnlyDictionary<string, string> Dimensions)
{
    /// <summary>A metric without dimensions.</summary>
    public static MetricDatum Plain(string name, double value, string unit) =>
        new(name, value, unit, new Dictionary<string, string>());

    /// <summary>A metric with a single dimension.</summary>
    public static MetricDatum With(string name, double value, string unit, string dimension, string dimensionValue) =>
        new(name, value, unit, new Dictionary<string, string> { [dimension] = dimensionValue });
}
