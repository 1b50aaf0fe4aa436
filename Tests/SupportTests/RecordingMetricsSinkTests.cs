using RunsFleet.Activities.Metrics;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class RecordingMetricsSinkTests
{
    [Fact]
    public async Task Records_each_batch_and_finds_metrics_by_name()
    {
        var sink = new RecordingMetricsSink();

        await sink.PublishAsync([MetricDatum.Plain("JobsCompleted", 1, "Count"), MetricDatum.With("JobDuration", 90, "Seconds", "Pool", "x64")], CancellationToken.None);
        await sink.PublishAsync([MetricDatum.Plain("JobsCompleted", 1, "Count")], CancellationToken.None);

        Assert.Equal(2, sink.Batches.Count);
        Assert.Equal(2, sink.Named("JobsCompleted").Count);
        Assert.Equal("x64", sink.Single("JobDuration").Dimensions["Pool"]);
        Assert.Throws<InvalidOperationException>(() => sink.Single("JobsCompleted"));
    }

    [Fact]
    public async Task FailNext_throws_once_without_recording()
    {
        var sink = new RecordingMetricsSink();
        sink.FailNext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.PublishAsync([MetricDatum.Plain("A", 1, "Count")], CancellationToken.None));
        await sink.PublishAsync([MetricDatum.Plain("B", 1, "Count")], CancellationToken.None);

        Assert.Equal(["B"], sink.All.Select(m => m.Name));
    }
}
