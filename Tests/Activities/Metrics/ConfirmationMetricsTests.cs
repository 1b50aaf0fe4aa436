using RunsFleet.Activities.Metrics;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Metrics;

/// <summary>
/// The confirmation and bootstrap-failure metrics under runs-fleet's names and dimensions
/// (pkg/metrics/cloudwatch.go; pkg/termination/handler.go confirmRunnerStarted, publishProvisionSeconds,
/// publishBootstrapSeconds, processBootstrapFailure).
/// </summary>
public sealed class ConfirmationMetricsTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 13, 40, TimeSpan.Zero);
    private static readonly DateTimeOffset Started = new(2026, 11, 30, 9, 14, 3, 512, TimeSpan.Zero);
    private static readonly AgentBootstrapSeconds Sample = new(11.423, 0.84, 3.2715, 1.9, 17.4345);

    [Fact]
    public void Confirmed_cold_start_sends_the_count_the_provision_time_and_every_measured_phase()
    {
        var data = new RunnerConfirmedMetrics(null, "c7g.xlarge", false, false, Created, Started, Sample).ToData();

        Assert.Equal(
            [
                "RunnerConfirmed=1 Count []",
                "InstanceProvisionSeconds=23.512 Seconds [Family=c7g, Source=cold_start]",
                "AgentBootstrapSeconds=11.423 Seconds [Phase=boot]",
                "AgentBootstrapSeconds=0.84 Seconds [Phase=config]",
                "AgentBootstrapSeconds=3.2715 Seconds [Phase=runner_download]",
                "AgentBootstrapSeconds=1.9 Seconds [Phase=registration]",
                "AgentBootstrapSeconds=17.4345 Seconds [Phase=total]",
            ],
            Render(data));
    }

    [Theory]
    [InlineData(false, false, "cold_start")]
    [InlineData(true, false, "warm_pool")]
    [InlineData(true, true, "hot_pool")]
    [InlineData(false, true, "hot_pool")]
    public void Provision_source_follows_the_pool_hits(bool warm, bool hot, string source)
    {
        var metrics = new RunnerConfirmedMetrics("default", "m7g.large", warm, hot, Created, Started, null);

        Assert.Equal(source, metrics.Source);
        Assert.Equal(
            [
                "RunnerConfirmed=1 Count [Pool=default]",
                $"InstanceProvisionSeconds=23.512 Seconds [Family=m7g, Source={source}]",
            ],
            Render(metrics.ToData()));
    }

    [Theory]
    [InlineData("c7g.xlarge", "c7g")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData(".large", null)]
    [InlineData("metal", null)]
    public void Family_is_the_part_before_the_first_dot(string? type, string? family)
    {
        Assert.Equal(family, new RunnerConfirmedMetrics(null, type, false, false, null, null, null).Family);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void No_provision_time_unless_it_is_positive(int seconds)
    {
        var started = Created.AddSeconds(seconds);
        var metrics = new RunnerConfirmedMetrics("p", "m7g.large", false, false, Created, started, null);

        Assert.Null(metrics.ProvisionSeconds);
        Assert.Equal(["RunnerConfirmed=1 Count [Pool=p]"], Render(metrics.ToData()));
    }

    [Fact]
    public void No_provision_time_without_both_timestamps_and_no_phase_that_was_not_measured()
    {
        var bootstrap = new AgentBootstrapSeconds(0, -1, double.NaN, 2.5, 0);

        Assert.Equal(
            ["RunnerConfirmed=1 Count [Pool=p]", "AgentBootstrapSeconds=2.5 Seconds [Phase=registration, Pool=p]"],
            Render(new RunnerConfirmedMetrics("p", "m7g.large", false, false, null, Started, bootstrap).ToData()));
        Assert.Equal(
            ["RunnerConfirmed=1 Count [Pool=p]"],
            Render(new RunnerConfirmedMetrics("p", "m7g.large", false, false, Created, null, null).ToData()));
        Assert.False(new AgentBootstrapSeconds(0, 0, 0, 0, -2).Any);
    }

    [Theory]
    [InlineData(BootstrapRequeueMetric.None, null)]
    [InlineData(BootstrapRequeueMetric.Requeued, "JobsRequeued=1 Count [Reason=bootstrap_failed]")]
    [InlineData(BootstrapRequeueMetric.GaveUp, "SchedulingFailure=1 Count [TaskType=bootstrap_failed]")]
    public void Failed_bootstrap_counts_one_failure_and_what_became_of_the_job(
        BootstrapRequeueMetric requeue, string? counter)
    {
        string[] expected = counter is null ? ["JobFailure=1 Count []"] : ["JobFailure=1 Count []", counter];

        Assert.Equal(expected, Render(new BootstrapFailureMetrics(requeue).ToData()));
    }

    [Fact]
    public async Task Activities_publish_exactly_these_values()
    {
        var sink = new RecordingMetricsSink();
        var activities = new JobMetricsActivities(sink);

        var runner = new RunnerConfirmedMetrics("p", "m7g.large", true, false, Created, Started, Sample);

        var confirmed = await activities.PublishRunnerConfirmedMetricsAsync(runner);
        var requeued = new BootstrapFailureMetrics(BootstrapRequeueMetric.Requeued);
        var failed = await activities.PublishBootstrapFailureMetricsAsync(requeued);

        Assert.Equal((7, 2), (confirmed, failed));
        Assert.Equal(2, sink.Batches.Count);
        Assert.Equal("warm_pool", sink.Single(RunnerConfirmedMetrics.InstanceProvisionSeconds).Dimensions["Source"]);
        Assert.Equal("bootstrap_failed", sink.Single(BootstrapFailureMetrics.JobsRequeued).Dimensions["Reason"]);
    }

    private static string[] Render(IReadOnlyList<MetricDatum> data) => [.. data.Select(Render)];

    private static string Render(MetricDatum datum)
    {
        var dimensions = datum.Dimensions.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}={x.Value}");
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{datum.Name}={Math.Round(datum.Value, 6)} {datum.Unit} [{string.Join(", ", dimensions)}]");
    }
}
