using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Logs;

namespace RunsFleet.Infrastructure.Services;

/// <summary>
/// The ECS default for the Temporal SDK's metrics: an AWS Distro for OpenTelemetry collector next to
/// each app container. The app pushes OTLP to it over the task's shared localhost
/// (OTEL_EXPORTER_OTLP_ENDPOINT = <see cref="Endpoint"/>); the collector turns the temporal_* metrics
/// into CloudWatch EMF lines on its own stdout, which the awslogs driver ships like the app's EMF
/// lines: CloudWatch metrics in <see cref="MetricsNamespace"/> without any CloudWatch or Logs
/// permission in the task role. Not essential: metrics stopping must not stop the service.
/// </summary>
internal static class OtelCollectorSidecar
{
    public const string ContainerName = "otel-collector";

    /// <summary>ADOT collector, pinned; <c>runsFleet:otelCollectorImage</c> overrides it.</summary>
    public const string DefaultImage = "public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0";

    /// <summary>OTLP/gRPC on the task's localhost (awsvpc: the app and the sidecar share it).</summary>
    public const string Endpoint = "http://localhost:4317";

    /// <summary>CloudWatch namespace of the Temporal SDK's metrics.</summary>
    public const string MetricsNamespace = "RunsFleet/Temporal";

    /// <summary>
    /// The collector's configuration (AOT_CONFIG_CONTENT): OTLP in on localhost only, batched for a
    /// minute, EMF out on stdout. Only temporal_* metrics become CloudWatch metrics (a custom metric
    /// costs money per dimension combination), with the dimension sets an on-call filters by; the
    /// bridge's own metrics already reach CloudWatch as the bridge's EMF lines.
    /// </summary>
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
          awsemf:
            namespace: RunsFleet/Temporal
            output_destination: stdout
            dimension_rollup_option: NoDimensionRollup
            metric_declarations:
              - dimensions: [[service.name], [service.name, task_queue], [service.name, task_queue, activity_type], [service.name, task_queue, workflow_type], [service.name, operation]]
                metric_name_selectors: ["^temporal_"]
            resource_to_telemetry_conversion:
              enabled: true
        service:
          pipelines:
            metrics:
              receivers: [otlp]
              processors: [batch]
              exporters: [awsemf]
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
