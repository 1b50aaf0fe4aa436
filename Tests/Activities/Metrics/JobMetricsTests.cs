using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Metrics;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Metrics;

public sealed class JobMetricsTests
{
    public static TheoryData<string?, bool, double, string[]> Cases => new()
    {
        { "linux-x64", true, 412, ["JobDuration=412 Seconds", "JobSuccess=1 Count"] },
        { "linux-x64", false, 0.5, ["JobDuration=0.5 Seconds", "JobFailure=1 Count"] },
        { "linux-x64", false, 0, ["JobFailure=1 Count"] },
        { null, true, -3, ["JobSuccess=1 Count"] },
        { null, false, double.NaN, ["JobFailure=1 Count"] },
        { null, true, double.PositiveInfinity, ["JobSuccess=1 Count"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Duration_only_when_above_zero_and_one_outcome_count(string? pool, bool succeeded, double duration, string[] expected)
    {
        var data = new JobMetrics(pool, succeeded, duration).ToData();

        Assert.Equal(expected, data.Select(d => $"{d.Name}={d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {d.Unit}").ToArray());
    }

    [Theory]
    [InlineData("linux-x64", "Pool=linux-x64")]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  ", "")]
    public void Pool_dimension_only_when_the_pool_is_known(string? pool, string expected)
    {
        var data = new JobMetrics(pool, true, 10).ToData();

        Assert.All(data, d => Assert.Equal(expected, string.Join(",", d.Dimensions.Select(x => $"{x.Key}={x.Value}"))));
    }

    [Fact]
    public async Task Activity_publishes_emf_lines_and_returns_the_number_of_values()
    {
        using var output = new StringWriter();
        var activities = new JobMetricsActivities(Sink(output));

        var sent = await new ActivityEnvironment().RunAsync(
            () => activities.PublishJobMetricsAsync(new JobMetrics("linux-x64", Succeeded: true, DurationSeconds: 300)));

        Assert.Equal(2, sent);
        var line = Assert.Single(EmfLine.ParseAll(output.ToString()));
        Assert.Equal("RunsFleet", line.Namespace);
        Assert.Equal(["Pool"], Assert.Single(line.DimensionSets));
        Assert.Equal("linux-x64", line.Dimension("Pool"));
        Assert.Equal("Seconds", line.Units["JobDuration"]);
        Assert.Equal("Count", line.Units["JobSuccess"]);
        Assert.Equal([300d], line.Values("JobDuration"));
        Assert.Equal([1d], line.Values("JobSuccess"));
        Assert.False(line.Units.ContainsKey("JobFailure"));
    }

    [Fact]
    public async Task Activity_counts_a_failed_bootstrap_as_one_failure_without_dimensions()
    {
        using var output = new StringWriter();
        var activities = new JobMetricsActivities(Sink(output));

        var sent = await new ActivityEnvironment().RunAsync(
            () => activities.PublishJobMetricsAsync(new JobMetrics(null, Succeeded: false, DurationSeconds: 0)));

        Assert.Equal(1, sent);
        var line = Assert.Single(EmfLine.ParseAll(output.ToString()));
        Assert.Empty(Assert.Single(line.DimensionSets));
        Assert.Null(line.Dimension("Pool"));
        Assert.Equal(new Dictionary<string, string> { ["JobFailure"] = "Count" }, line.Units);
        Assert.Equal([1d], line.Values("JobFailure"));
    }

    private static EmfMetricsSink Sink(TextWriter output) =>
        new(Options.Create(new MetricsOptions()), new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)), output);
}
