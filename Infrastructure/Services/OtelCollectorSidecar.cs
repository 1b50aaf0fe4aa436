using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Logs;

namespace RunsFleet.Infrastructure.Services;

/// <summary>The ECS metrics path: an AWS Distro for OpenTelemetry collector next to each app container. The
/// app pushes OTLP to it over the task's shared localhost (OTEL_EXPORTER_OTLP_ENDPOINT = <see cref="Endpoint"/>,
/// delta temporality); the collector writes CloudWatch EMF lines on its own stdout, which the awslogs
/// driver ships: the temporal_* metrics in <see cref="MetricsNamespace"/>, the bridge's
/// runs_fleet.bridge.* in <see cref="ContainerEnvironment.MetricsNamespace"/> (where the alarms watch
/// them), without any CloudWatch or Logs permission in the task role. Not essential: metrics stopping
/// must not stop the service.</summary>
internal static class OtelCollectorSidecar
{
    public const string ContainerName = "otel-collector";

    /// <summary>ADOT collector, pinned; <c>runsFleet:otelCollectorImage</c> overrides it.</summary>
    public const string DefaultImage = "public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0";

    /// <summary>OTLP/gRPC on the task's localhost (awsvpc: the app and the sidecar share it).</summary>
    public const string Endpoint = "http://localhost:4317";

    /// <summary>CloudWatch namespace of the Temporal SDK's metrics.</summary>
    public const string MetricsNamespace = "RunsFleet/Temporal";

    /// <summary>The collector's configuration (AOT_CONFIG_CONTENT): OTLP in on localhost only, batched for a
    /// minute, EMF out on stdout, one exporter per namespace. Only declared metrics become CloudWatch
    /// metrics (a custom metric costs money per dimension combination), with the dimension sets an
    /// on-call filters by. The bridge's units are written out (OTel's "{message}" is no CloudWatch unit).</summary>
    public const string Configuration = """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:4317
        processors:
          batch:
            timeout: 60s
        exporters:
          awsemf/temporal:
            namespace: RunsFleet/Temporal
            output_destination: stdout
            dimension_rollup_option: NoDimensionRollup
            metric_declarations:
              - dimensions: [[service.name], [service.name, task_queue], [service.name, task_queue, activity_type],
                  [service.name, task_queue, workflow_type], [service.name, operation]]
                metric_name_selectors: ["^temporal_"]
            resource_to_telemetry_conversion:
              enabled: true
          awsemf/bridge:
            namespace: RunsFleet
            output_destination: stdout
            dimension_rollup_option: NoDimensionRollup
            metric_declarations:
              - dimensions: [[queue], [queue, code]]
                metric_name_selectors: ["^runs_fleet\\.bridge\\."]
            metric_descriptors:
              - {metric_name: runs_fleet.bridge.messages.received, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.workflows.started, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.messages.duplicate, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.messages.joined, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.messages.rejected, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.messages.in_flight, unit: Count, overwrite: true}
              - {metric_name: runs_fleet.bridge.start.latency, unit: Seconds, overwrite: true}
              - {metric_name: runs_fleet.bridge.refused.time, unit: Seconds, overwrite: true}
        service:
          pipelines:
            metrics:
              receivers: [otlp]
              processors: [batch]
              exporters: [awsemf/temporal, awsemf/bridge]
        """;

    /// <summary>Adds the collector to <paramref name="task"/>, logging to the service's group.</summary>
    public static ContainerDefinition AddTo(FargateTaskDefinition task, string image, ILogGroup logGroup) =>
        task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = ContainerImage.FromRegistry(image),
            Essential = false,
            MemoryReservationMiB = 64,
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Configuration },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = ContainerName, LogGroup = logGroup }),
            StopTimeout = Duration.Seconds(10),
        });
}
