using System.Text.Json;
using RunsFleet.Infrastructure.Monitoring;
using RunsFleet.Infrastructure.Services;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.Tests.Infrastructure.Monitoring;

/// <summary>The bridge's alarms and the OTLP collector sidecars of the synthesized stack.</summary>
[Collection(SynthesizedStacksCollection.Name)]
public class MonitoringTemplateTests(SynthesizedStacksFixture stacks)
{
    private const string Rejections = "runs_fleet.bridge.messages.rejected";
    private const string Refused = "runs_fleet.bridge.refused.time";
    private const string Latency = "runs_fleet.bridge.start.latency";

    [Theory]
    [InlineData("runs-fleet-bridge-termination-rejections", Rejections, "termination", "Sum", 0, 1)]
    [InlineData("runs-fleet-bridge-housekeeping-rejections", Rejections, "housekeeping", "Sum", 0, 1)]
    [InlineData("runs-fleet-bridge-termination-refused", Refused, "termination", "Sum", 0, 1)]
    [InlineData("runs-fleet-bridge-housekeeping-refused", Refused, "housekeeping", "Sum", 0, 1)]
    [InlineData("runs-fleet-bridge-termination-start-latency", Latency, "termination", "p99", 30, 3)]
    public void Each_bridge_alarm_watches_its_metric_per_queue_every_five_minutes(string name, string metric, string queue, string statistic, double threshold, int periods)
    {
        var alarm = Alarm(stacks.Default, name);

        Assert.Equal(ContainerEnvironment.MetricsNamespace, alarm.GetProperty("Namespace").GetString());
        Assert.Equal(metric, alarm.GetProperty("MetricName").GetString());
        var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(BridgeMetrics.QueueTag, dimension.GetProperty("Name").GetString());
        Assert.Equal(queue, dimension.GetProperty("Value").GetString());
        var stat = alarm.TryGetProperty("Statistic", out var plain) ? plain.GetString() : alarm.GetProperty("ExtendedStatistic").GetString();
        Assert.Equal(statistic, stat);
        Assert.Equal(300, alarm.GetProperty("Period").GetInt32());
        Assert.Equal(threshold, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal(periods, alarm.GetProperty("EvaluationPeriods").GetInt32());
        Assert.Equal("GreaterThanThreshold", alarm.GetProperty("ComparisonOperator").GetString());
        Assert.Equal("notBreaching", alarm.GetProperty("TreatMissingData").GetString());
        Assert.Contains("docs/operator-guide.md", alarm.GetProperty("AlarmDescription").GetString(), StringComparison.Ordinal);
        Assert.False(alarm.TryGetProperty("AlarmActions", out _));
        Assert.Equal("arn:aws:sns:eu-west-1:123456789012:runs-fleet-alarms", Alarm(stacks.WithCreatedJobsTable, name).GetProperty("AlarmActions")[0].GetString());
    }

    [Fact]
    public void The_alarmed_metrics_are_bridge_instruments_the_collector_writes_to_the_alarms_namespace()
    {
        var config = OtelCollectorSidecar.Configuration;
        var bridge = config[config.IndexOf("awsemf/bridge:", StringComparison.Ordinal)..config.IndexOf("service:", StringComparison.Ordinal)];

        Assert.Equal([BridgeMetrics.Rejections, BridgeMetrics.Refused, BridgeMetrics.StartLatency], new[] { Rejections, Refused, Latency });
        Assert.Equal([Rejections, Refused, Latency], new[] { BridgeAlarms.RejectionsMetric, BridgeAlarms.RefusedMetric, BridgeAlarms.StartLatencyMetric });
        Assert.Equal(BridgeMetrics.QueueTag, BridgeAlarms.QueueDimension);
        Assert.Contains("namespace: " + ContainerEnvironment.MetricsNamespace + "\n", bridge.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"dimensions: [[{BridgeMetrics.QueueTag}], [{BridgeMetrics.QueueTag}, {BridgeMetrics.CodeTag}]]", bridge, StringComparison.Ordinal);
        Assert.Contains("metric_name_selectors: [\"^runs_fleet\\\\.bridge\\\\.\"]", bridge, StringComparison.Ordinal);
        string[] instruments = [BridgeMetrics.Received, BridgeMetrics.Started, BridgeMetrics.Duplicates, BridgeMetrics.Joins,
            BridgeMetrics.Rejections, BridgeMetrics.StartLatency, BridgeMetrics.Refused, BridgeMetrics.InFlight];
        Assert.All(instruments, name => Assert.StartsWith("runs_fleet.bridge.", name, StringComparison.Ordinal));
        Assert.All(instruments, name => Assert.Contains($"{{metric_name: {name}, unit: ", bridge, StringComparison.Ordinal));
        Assert.Contains("exporters: [awsemf/temporal, awsemf/bridge]", config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("sqs-bridge")]
    public void Each_app_exports_deltas_so_a_minute_of_emf_holds_that_minute(string app)
    {
        var env = stacks.Default.EnvironmentOf(app);

        Assert.Equal("delta", env["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"]);
        Assert.Equal(app == "worker", env.ContainsKey("RUNS_FLEET_METRICS_NAMESPACE"));
        Assert.False(env.ContainsKey("RUNS_FLEET_PROMETHEUS_BIND"), "with Prometheus on, histograms stay explicit and the p99 alarm gets no percentiles");
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("sqs-bridge")]
    public void Each_task_runs_a_non_essential_otlp_collector_its_app_exports_to_over_localhost(string app)
    {
        var task = TaskDefinitionOf(app);
        var containers = task.GetProperty("ContainerDefinitions").EnumerateArray().ToList();
        var collector = Assert.Single(containers, c => c.GetProperty("Name").GetString() == OtelCollectorSidecar.ContainerName);

        Assert.Equal(2, containers.Count);
        Assert.False(collector.GetProperty("Essential").GetBoolean());
        Assert.Equal(OtelCollectorSidecar.DefaultImage, collector.GetProperty("Image").GetString());
        var config = Assert.Single(collector.GetProperty("Environment").EnumerateArray(), e => e.GetProperty("Name").GetString() == "AOT_CONFIG_CONTENT").GetProperty("Value").GetString()!;
        Assert.Contains("endpoint: 127.0.0.1:4317", config, StringComparison.Ordinal);
        Assert.Contains("output_destination: stdout", config, StringComparison.Ordinal);
        Assert.Contains("namespace: " + OtelCollectorSidecar.MetricsNamespace, config, StringComparison.Ordinal);
        Assert.Contains("namespace: " + ContainerEnvironment.MetricsNamespace + "\n", config, StringComparison.Ordinal);
        Assert.Contains("metric_name_selectors: [\"^temporal_\"]", config, StringComparison.Ordinal);
        Assert.Equal("awslogs", collector.GetProperty("LogConfiguration").GetProperty("LogDriver").GetString());
        Assert.Equal(
            containers.Single(c => c.GetProperty("Name").GetString() == app).GetProperty("LogConfiguration").GetProperty("Options").GetProperty("awslogs-group").GetRawText(),
            collector.GetProperty("LogConfiguration").GetProperty("Options").GetProperty("awslogs-group").GetRawText());
        Assert.Equal(OtelCollectorSidecar.Endpoint, stacks.Default.EnvironmentOf(app)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.StartsWith("http://localhost:", OtelCollectorSidecar.Endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collector_needs_no_permission_of_the_task_roles()
    {
        // EMF on stdout: the awslogs driver (task execution role) ships it; the task roles stay as reviewed.
        Assert.DoesNotContain(stacks.Default.AllowedActions("worker"), a => a.StartsWith("logs:", StringComparison.Ordinal) || a.StartsWith("cloudwatch:", StringComparison.Ordinal));
        Assert.DoesNotContain(stacks.Default.AllowedActions("sqs-bridge"), a => a.StartsWith("logs:", StringComparison.Ordinal) || a.StartsWith("cloudwatch:", StringComparison.Ordinal));
    }

    private static JsonElement Alarm(SynthesizedStack stack, string name) =>
        Assert.Single(stack.Resources("AWS::CloudWatch::Alarm"), a => a.Properties.GetProperty("AlarmName").GetString() == name).Properties;

    private JsonElement TaskDefinitionOf(string app) =>
        stacks.Default.Resources("AWS::ECS::TaskDefinition").Select(t => t.Properties)
            .Single(p => p.GetProperty("ContainerDefinitions").EnumerateArray().Any(c => c.GetProperty("Name").GetString() == app));
}
