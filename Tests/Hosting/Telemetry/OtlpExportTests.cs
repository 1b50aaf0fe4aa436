using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>
/// OTEL_EXPORTER_OTLP_ENDPOINT: the OpenTelemetry SDK's own OTLP exporter, configured by the SDK from
/// the host's OTEL_EXPORTER_OTLP_* settings, pushes the Temporal SDK's and the bridge's metrics.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public void Otlp_exporter_pushes_both_meters_to_the_endpoint_the_standard_variables_name()
    {
        using var receiver = new OtlpReceiver(LoopbackPorts.GetFree());
        var environment = new Dictionary<string, string?>
        {
            [TelemetrySettings.OtlpEndpointVariable] = $"http://127.0.0.1:{receiver.Port}",
            // http/protobuf so a plain HTTP listener can stand in for the collector (ECS uses the default, gRPC).
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        var settings = TelemetrySettings.Read(new EnvironmentSettingsReader(environment), "runs-fleet-otlp-test");
        Assert.True(settings.Otlp);
        using var pipeline = new MetricsPipeline(settings, environment);
        var probe = "runs_fleet_otlp_probe_" + Guid.NewGuid().ToString("N")[..8];
        TemporalTelemetry.Runtime.MetricMeter.CreateCounter<long>(probe).Add(1);
        pipeline.Bridge.MessagesReceived("termination", 2);

        Assert.True(pipeline.Provider.ForceFlush(10_000), "the OTLP export did not complete");

        var export = Assert.Single(receiver.Requests, r => Contains(r.Body, probe));
        Assert.Equal("/v1/metrics", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.Contains(receiver.Requests, r => Contains(r.Body, BridgeMetrics.Received) && Contains(r.Body, "runs-fleet-otlp-test"));
    }

    [Fact]
    public void Over_otlp_alone_the_start_latency_is_an_exponential_histogram_so_cloudwatch_has_its_percentiles()
    {
        using var receiver = new OtlpReceiver(LoopbackPorts.GetFree());
        var environment = new Dictionary<string, string?>
        {
            [TelemetrySettings.OtlpEndpointVariable] = $"http://127.0.0.1:{receiver.Port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        var settings = TelemetrySettings.Read(new EnvironmentSettingsReader(environment), "runs-fleet-otlp-test");
        var seen = new List<(string Name, MetricType Type)>();
        using var reader = new BaseExportingMetricReader(new TypeRecorder(seen));
        using var pipeline = new MetricsPipeline(settings, environment, reader);
        for (var i = 1; i <= 200; i++)
        {
            pipeline.Bridge.Handled("termination", MessageOutcome.Answered(StartStatus.Started), TimeSpan.FromMilliseconds(i * 10));
        }

        Assert.True(pipeline.Provider.ForceFlush(10_000), "the export did not complete");

        Assert.Contains((BridgeMetrics.StartLatency, MetricType.ExponentialHistogram), seen);
        Assert.Contains((BridgeMetrics.Started, MetricType.LongSum), seen);
    }

    [Fact]
    public void Without_an_endpoint_or_bind_no_meter_provider_is_registered()
    {
        var settings = TelemetrySettings.Read(new EnvironmentSettingsReader(new Dictionary<string, string?>()), "runs-fleet-test");
        using var services = new ServiceCollection().AddRunsFleetMetrics(settings).BuildServiceProvider();

        Assert.False(settings.Exports);
        Assert.Null(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    private static bool Contains(byte[] body, string text) =>
        body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private sealed class TypeRecorder(List<(string Name, MetricType Type)> seen) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                lock (seen)
                {
                    seen.Add((metric.Name, metric.MetricType));
                }
            }

            return ExportResult.Success;
        }
    }
}
