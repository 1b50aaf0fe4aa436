using RunsFleet.SqsBridge.Metrics;

namespace RunsFleet.Tests.SqsBridge.Metrics;

/// <summary>How one flush window turns the bridge's measurements into EMF values.</summary>
public sealed class EmfWindowTests
{
    private static readonly EmfMetric Received = BridgeEmfPublisher.EmfMetrics[BridgeMetrics.Received];
    private static readonly EmfMetric Rejections = BridgeEmfPublisher.EmfMetrics[BridgeMetrics.Rejections];
    private static readonly EmfMetric Latency = BridgeEmfPublisher.EmfMetrics[BridgeMetrics.StartLatency];
    private static readonly EmfMetric Refused = BridgeEmfPublisher.EmfMetrics[BridgeMetrics.Refused];
    private static readonly EmfMetric InFlight = BridgeEmfPublisher.EmfMetrics[BridgeMetrics.InFlight];

    [Fact]
    public void Counts_are_summed_per_queue_and_every_counter_of_a_seen_queue_is_published_zeros_included()
    {
        var window = new EmfWindow(BridgeEmfPublisher.EmfMetrics.Values);
        window.Record(Received, "termination", null, 10);
        window.Record(Received, "termination", null, 5);
        window.Record(Rejections, "termination", "NotJson", 1);
        window.Record(Rejections, "termination", "NotJson", 1);
        window.Record(Rejections, "termination", "UnknownStatus", 1);

        var data = window.Drain();

        Assert.Equal(15, Single(data, "BridgeMessagesReceived").Value);
        Assert.Equal(3, Single(data, "BridgeRejections").Value);
        Assert.Equal(2, Single(data, "BridgeRejections", "NotJson").Value);
        Assert.Equal(1, Single(data, "BridgeRejections", "UnknownStatus").Value);
        Assert.Equal(0, Single(data, "BridgeWorkflowsStarted").Value);
        Assert.Equal(0, Single(data, "BridgeDuplicates").Value);
        Assert.Equal(0, Single(data, "BridgeJoins").Value);
        Assert.All(data, d => Assert.Equal("Count", d.Unit));
    }

    [Fact]
    public void A_drained_window_starts_again_at_zero_but_remembers_its_queues()
    {
        var window = new EmfWindow(BridgeEmfPublisher.EmfMetrics.Values);
        window.Record(Received, "termination", null, 4);
        window.Record(Latency, "termination", null, 0.02);
        window.Drain();

        var next = window.Drain();

        Assert.Equal(0, Single(next, "BridgeMessagesReceived").Value);
        Assert.DoesNotContain(next, d => d.Name == "BridgeStartLatency");
    }

    [Fact]
    public void Latencies_beyond_the_emf_limit_are_a_uniform_sample_of_at_most_100_values()
    {
        var window = new EmfWindow(BridgeEmfPublisher.EmfMetrics.Values);
        for (var i = 0; i < 10_000; i++)
        {
            window.Record(Latency, "termination", null, i < 5_000 ? 0.01 : 1.0);
        }

        var sample = window.Drain().Where(d => d.Name == "BridgeStartLatency").Select(d => d.Value).ToList();

        Assert.Equal(EmfWindow.MaxSamples, sample.Count);
        // Half the values are fast: a uniform sample of 100 holds 50 +- 25 of them all but never (p < 1e-6).
        Assert.InRange(sample.Count(v => v < 0.5), 25, 75);
        Assert.All(sample, v => Assert.Contains(v, new[] { 0.01, 1.0 }));
    }

    [Fact]
    public void A_running_total_is_published_as_its_increase_and_a_restart_counts_in_full()
    {
        var window = new EmfWindow(BridgeEmfPublisher.EmfMetrics.Values);
        window.Record(Refused, "termination", null, 30);
        var first = Single(window.Drain(), "BridgeRefusedSeconds").Value;
        window.Record(Refused, "termination", null, 42);
        var second = Single(window.Drain(), "BridgeRefusedSeconds").Value;
        window.Record(Refused, "termination", null, 5);
        var afterRestart = Single(window.Drain(), "BridgeRefusedSeconds").Value;

        Assert.Equal([30, 12, 5], new[] { first, second, afterRestart });
    }

    [Fact]
    public void A_gauge_is_published_with_its_last_value()
    {
        var window = new EmfWindow(BridgeEmfPublisher.EmfMetrics.Values);
        window.Record(InFlight, "housekeeping", null, 7);
        window.Record(InFlight, "housekeeping", null, 3);

        var inFlight = Single(window.Drain(), "BridgeMessagesInFlight", queue: "housekeeping");

        Assert.Equal(3, inFlight.Value);
        Assert.Equal("housekeeping", inFlight.Dimensions[EmfWindow.QueueDimension]);
    }

    private static RunsFleet.Activities.Metrics.MetricDatum Single(IEnumerable<RunsFleet.Activities.Metrics.MetricDatum> data, string name, string? code = null, string queue = "termination") =>
        Assert.Single(data, d => d.Name == name && d.Dimensions[EmfWindow.QueueDimension] == queue && d.Dimensions.GetValueOrDefault(EmfWindow.CodeDimension) == code);
}
