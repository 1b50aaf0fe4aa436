using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using Temporalio.Client;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>The adapter from the Temporal core's custom meter interface to a .NET meter, and where clients get their runtime.</summary>
public sealed class TemporalMetricsAdapterTests
{
    [Fact]
    public void Core_metrics_recorded_through_a_runtime_arrive_on_its_meter_with_their_tags()
    {
        using var meter = new Meter(TemporalMetricsAdapter.MeterName);
        var runtime = TemporalTelemetry.CreateRuntime(meter);
        using var counts = new MetricCollector<long>(meter, "temporal_test_requests");
        using var waits = new MetricCollector<double>(meter, "temporal_test_wait");

        var tagged = runtime.MetricMeter.WithTags([new("namespace", "default")]);
        tagged.CreateCounter<long>("temporal_test_requests").Add(2, [new("operation", "StartWorkflowExecution")]);
        tagged.CreateHistogram<TimeSpan>("temporal_test_wait", "duration").Record(TimeSpan.FromMilliseconds(250));

        var count = Assert.Single(counts.GetMeasurementSnapshot());
        Assert.Equal(2, count.Value);
        Assert.Equal("default", count.Tags["namespace"]);
        Assert.Equal("StartWorkflowExecution", count.Tags["operation"]);
        var wait = Assert.Single(waits.GetMeasurementSnapshot());
        Assert.Equal(0.25, wait.Value, precision: 6);
        Assert.Equal("s", waits.Instrument!.Unit);
    }

    [Fact]
    public void Tags_appended_to_a_tag_set_keep_the_earlier_ones_and_replace_a_repeated_key()
    {
        using var meter = new Meter("adapter-tags-test");
        var adapter = new TemporalMetricsAdapter(meter);

        var worker = adapter.CreateTags(null, [new("task_queue", "runs-fleet"), new("namespace", "default")]);
        var activity = (KeyValuePair<string, object?>[])adapter.CreateTags(worker, [new("activity_type", "CompleteJob"), new("namespace", "other")]);

        Assert.Equal(
            [new("task_queue", "runs-fleet"), new("activity_type", "CompleteJob"), new("namespace", "other")],
            activity);
        Assert.Equal(2, ((KeyValuePair<string, object?>[])worker).Length);
    }

    [Fact]
    public void The_lazy_client_of_both_hosts_runs_on_the_process_runtime()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddLazyTemporalClient(new TemporalClientConnectOptions("127.0.0.1:9"))
            .BuildServiceProvider();

        var client = services.GetRequiredService<ITemporalClient>();

        Assert.Same(TemporalTelemetry.Runtime, ((TemporalConnection)client.Connection).Options.Runtime);
    }
}
