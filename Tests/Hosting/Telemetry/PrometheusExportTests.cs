using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>
/// RUNS_FLEET_PROMETHEUS_BIND: the real pipeline serves GET /metrics with the Temporal SDK's meter
/// (recorded through the process's runtime, i.e. through the SDK's core and our adapter) and the
/// bridge's. Offline the SDK emits no metric of its own (no server to poll or call; a replay records
/// none), so the SDK side is driven through the runtime's own MetricMeter. Every meter named
/// RunsFleet.SqsBridge in the process is exported (in a host there is one; here other tests run
/// pumps too), so each test records under queue names of its own.
/// </summary>
public sealed class PrometheusExportTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Scrape_serves_the_temporal_sdk_metrics_and_the_bridge_counters_timings_and_gauges()
    {
        var port = LoopbackPorts.GetFree();
        using var pipeline = new MetricsPipeline(new TelemetrySettings("runs-fleet-test", new PrometheusEndpoint("127.0.0.1", port), Otlp: false));
        var probe = "runs_fleet_test_probe_" + Guid.NewGuid().ToString("N")[..8];
        var sdk = TemporalTelemetry.Runtime.MetricMeter.WithTags([new("task_queue", "runs-fleet")]);
        sdk.CreateCounter<long>(probe, "{probe}", "counted through the Temporal core").Add(3);
        sdk.CreateHistogram<TimeSpan>(probe + "_wait", "duration", "a duration through the Temporal core").Record(TimeSpan.FromMilliseconds(1500));

        var bridge = pipeline.Bridge;
        var (queue, sweeps) = (UniqueQueue("termination"), UniqueQueue("housekeeping"));
        using var watch = bridge.Watch(queue, held: () => 4, refused: () => TimeSpan.FromSeconds(2.5));
        bridge.MessagesReceived(queue, 5);
        bridge.Handled(queue, MessageOutcome.Answered(StartStatus.Started), TimeSpan.FromMilliseconds(20));
        bridge.Handled(queue, MessageOutcome.Answered(StartStatus.Started), TimeSpan.FromSeconds(3));
        bridge.Handled(queue, MessageOutcome.Answered(StartStatus.AlreadyStarted), TimeSpan.FromMilliseconds(30));
        bridge.Handled(queue, MessageOutcome.Reject("NotJson: ...", RejectionCode.NotJson), TimeSpan.Zero);
        bridge.Handled(sweeps, MessageOutcome.Answered(StartStatus.JoinedRunning), TimeSpan.FromMilliseconds(40));

        var scrape = new ScrapeText(await Http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));

        Assert.Equal(3, scrape.Value(probe + "_total", "otel_scope_name=\"Temporalio\"", "task_queue=\"runs-fleet\"", "service_name=\"temporal-core-sdk\""));
        Assert.Equal(1.5, scrape.Value(probe + "_wait_seconds_sum"));
        Assert.Equal(0, scrape.Value(probe + "_wait_seconds_bucket", "le=\"1\""));
        Assert.Equal(1, scrape.Value(probe + "_wait_seconds_bucket", "le=\"2.5\""));
        var onQueue = $"queue=\"{queue}\"";
        Assert.Equal(5, scrape.Value("runs_fleet_bridge_messages_received_total", onQueue));
        Assert.Equal(2, scrape.Value("runs_fleet_bridge_workflows_started_total", onQueue));
        Assert.Equal(1, scrape.Value("runs_fleet_bridge_messages_duplicate_total", onQueue));
        Assert.Equal(1, scrape.Value("runs_fleet_bridge_messages_joined_total", $"queue=\"{sweeps}\""));
        Assert.Equal(1, scrape.Value("runs_fleet_bridge_messages_rejected_total", onQueue, "code=\"NotJson\""));
        Assert.Equal(3, scrape.Value("runs_fleet_bridge_start_latency_seconds_count", onQueue));
        Assert.Equal(2, scrape.Value("runs_fleet_bridge_start_latency_seconds_bucket", onQueue, "le=\"0.05\""));
        Assert.Equal(3, scrape.Value("runs_fleet_bridge_start_latency_seconds_bucket", onQueue, "le=\"5\""));
        Assert.Equal(2.5, scrape.Value("runs_fleet_bridge_refused_time_seconds_total", onQueue));
        Assert.Equal(4, scrape.Value("runs_fleet_bridge_messages_in_flight", onQueue));
        Assert.Contains("service_name=\"runs-fleet-test\"", scrape.Text, StringComparison.Ordinal);
    }

    private static string UniqueQueue(string kind) => kind + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task An_any_address_bind_answers_whatever_host_the_scraper_names()
    {
        var port = LoopbackPorts.GetFree();
        using var pipeline = new MetricsPipeline(new TelemetrySettings("runs-fleet-test", new PrometheusEndpoint("0.0.0.0", port), Otlp: false));
        var queue = UniqueQueue("termination");
        pipeline.Bridge.MessagesReceived(queue, 1);

        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            var scrape = new ScrapeText(await Http.GetStringAsync($"http://{host}:{port}/metrics"));
            Assert.Equal(1, scrape.Value("runs_fleet_bridge_messages_received_total", $"queue=\"{queue}\""));
        }
    }

    [Fact]
    public async Task A_pump_that_is_gone_no_longer_reports_its_held_messages()
    {
        var port = LoopbackPorts.GetFree();
        using var pipeline = new MetricsPipeline(new TelemetrySettings("runs-fleet-test", new PrometheusEndpoint("127.0.0.1", port), Otlp: false));
        var queue = UniqueQueue("termination");
        var watched = pipeline.Bridge.Watch(queue, held: () => 7, refused: () => TimeSpan.Zero);
        Assert.Equal(7, new ScrapeText(await Http.GetStringAsync($"http://127.0.0.1:{port}/metrics")).Value("runs_fleet_bridge_messages_in_flight", $"queue=\"{queue}\""));

        watched.Dispose();
        await Task.Delay(400); // past the exporter's 300 ms response cache

        var after = new ScrapeText(await Http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
        // Its gauge and refused time go; the counters it started at 0 stay, as counters do.
        Assert.DoesNotContain(after.Samples, line => line.Contains($"queue=\"{queue}\"", StringComparison.Ordinal)
            && line.StartsWith("runs_fleet_bridge_messages_in_flight", StringComparison.Ordinal));
        Assert.Equal(0, after.Value("runs_fleet_bridge_messages_received_total", $"queue=\"{queue}\""));
    }
}
