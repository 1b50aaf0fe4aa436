using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Metrics;

namespace RunsFleet.Tests.Activities.Metrics;

public sealed class EmfMetricsSinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 6, 52, 123, TimeSpan.Zero);

    [Fact]
    public async Task Metrics_sharing_a_pool_go_out_as_one_line_with_namespace_dimension_units_and_values()
    {
        using var output = new StringWriter();
        var sink = Sink(output, "RunsFleet");

        var sent = await sink.PublishAsync(
            [
                MetricDatum.With("JobDuration", 412, "Seconds", "Pool", "linux-x64"),
                MetricDatum.With("JobSuccess", 1, "Count", "Pool", "linux-x64"),
            ],
            CancellationToken.None);

        Assert.Equal(2, sent);
        var line = Assert.Single(EmfLine.ParseAll(output.ToString()));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), line.Timestamp);
        Assert.Equal("RunsFleet", line.Namespace);
        Assert.Equal(["Pool"], Assert.Single(line.DimensionSets));
        Assert.Equal("linux-x64", line.Dimension("Pool"));
        Assert.Equal(new Dictionary<string, string> { ["JobDuration"] = "Seconds", ["JobSuccess"] = "Count" }, line.Units);
        Assert.Equal([412d], line.Values("JobDuration"));
        Assert.Equal([1d], line.Values("JobSuccess"));
    }

    [Fact]
    public async Task Each_dimension_set_gets_its_own_line()
    {
        using var output = new StringWriter();
        var sink = Sink(output, "RunsFleet");

        await sink.PublishAsync(
            [
                MetricDatum.With("JobFailure", 1, "Count", "Pool", "arm64"),
                MetricDatum.Plain("JobFailure", 1, "Count"),
                MetricDatum.With("JobFailure", 1, "Count", "Pool", "linux-x64"),
            ],
            CancellationToken.None);

        var lines = EmfLine.ParseAll(output.ToString());
        Assert.Equal(3, lines.Count);
        Assert.Equal(new[] { "arm64", "<none>", "linux-x64" }, lines.Select(l => l.Dimension("Pool") ?? "<none>"));
        Assert.Empty(Assert.Single(lines[1].DimensionSets));
        Assert.All(lines, l => Assert.Equal([1d], l.Values("JobFailure")));
    }

    [Fact]
    public async Task Repeated_values_of_one_metric_become_an_array()
    {
        using var output = new StringWriter();
        var sink = Sink(output, "RunsFleet");

        var sent = await sink.PublishAsync(
            [MetricDatum.Plain("JobDuration", 10, "Seconds"), MetricDatum.Plain("JobDuration", 20.5, "Seconds")],
            CancellationToken.None);

        Assert.Equal(2, sent);
        var line = Assert.Single(EmfLine.ParseAll(output.ToString()));
        Assert.Equal([10d, 20.5], line.Values("JobDuration"));
        Assert.Single(line.Units);
    }

    [Fact]
    public async Task Namespace_comes_from_the_options()
    {
        using var output = new StringWriter();

        await Sink(output, "RunsFleet/Staging").PublishAsync([MetricDatum.Plain("JobSuccess", 1, "Count")], CancellationToken.None);

        Assert.Equal("RunsFleet/Staging", Assert.Single(EmfLine.ParseAll(output.ToString())).Namespace);
    }

    [Fact]
    public async Task Nothing_to_publish_writes_nothing()
    {
        using var output = new StringWriter();

        var sent = await Sink(output, "RunsFleet").PublishAsync([], CancellationToken.None);

        Assert.Equal(0, sent);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Values_json_cannot_carry_are_dropped_and_not_counted_instead_of_losing_the_batch()
    {
        using var output = new StringWriter();

        var sent = await Sink(output, "RunsFleet").PublishAsync(
            [
                MetricDatum.Plain("JobDuration", double.NaN, "Seconds"),
                MetricDatum.Plain("JobDuration", double.PositiveInfinity, "Seconds"),
                MetricDatum.Plain("JobSuccess", 1, "Count"),
            ],
            CancellationToken.None);

        Assert.Equal(1, sent);
        var line = Assert.Single(EmfLine.ParseAll(output.ToString()));
        Assert.Equal(new Dictionary<string, string> { ["JobSuccess"] = "Count" }, line.Units);
        Assert.False(line.Root.TryGetProperty("JobDuration", out _));
    }

    private static EmfMetricsSink Sink(TextWriter output, string metricNamespace) =>
        new(Options.Create(new MetricsOptions { Namespace = metricNamespace }), new FakeTimeProvider(Now), output);
}
