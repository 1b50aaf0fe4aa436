using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using RunsFleet.Infrastructure.Permissions;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;
using HealthCheck = Amazon.CDK.AWS.ECS.HealthCheck;

namespace RunsFleet.Infrastructure.Services;

/// <summary>The Worker and the SqsBridge as ECS Fargate services, each with its own least-privilege task role,
/// its awslogs log group (the EMF metric lines the code prints become CloudWatch metrics there), a
/// container health check on the health file and an OTLP collector sidecar for the Temporal SDK's
/// metrics (<see cref="OtelCollectorSidecar"/>).</summary>
public sealed class FleetServices : Construct
{
    /// <summary>Seconds ECS waits after SIGTERM: the bridge drains in RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS
    /// (25).</summary>
    public const int BridgeStopTimeoutSeconds = 60;

    /// <summary>Fargate's maximum: in-flight activities get RUNS_FLEET_SHUTDOWN_SECONDS (100) to finish on a
    /// deployment.</summary>
    public const int WorkerStopTimeoutSeconds = 120;

    public FleetServices(Construct scope, string id, FleetServicesProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var cluster = Cluster(settings);
        var apiKey = settings.TemporalApiKeySecret is null ? null : ApiKeySecret(settings.TemporalApiKeySecret);

        WorkerRole = TaskRole("WorkerTaskRole", "runs-fleet worker: only what the activities call",
            ServicePermissions.Worker, props.Resources);
        BridgeRole = TaskRole("BridgeTaskRole", "runs-fleet SQS bridge: only what the bridge calls",
            ServicePermissions.Bridge, props.Resources);

        WorkerService = Service(new ServiceSpec
        {
            Id = "Worker",
            ContainerName = "worker",
            Role = WorkerRole,
            Image = props.WorkerImage,
            Environment = ContainerEnvironment.Worker(settings, props.ArchiveBucketName),
            Cpu = 512,
            MemoryMiB = 1024,
            StopTimeoutSeconds = WorkerStopTimeoutSeconds,
            DesiredCount = 1,
        }, cluster, apiKey, settings.OtelCollectorImage);
        BridgeService = Service(new ServiceSpec
        {
            Id = "Bridge",
            ContainerName = "sqs-bridge",
            Role = BridgeRole,
            Image = props.BridgeImage,
            Environment = ContainerEnvironment.Bridge(settings, props.TerminationQueueUrl, props.HousekeepingQueueUrl),
            Cpu = 256,
            MemoryMiB = 512,
            StopTimeoutSeconds = BridgeStopTimeoutSeconds,
            DesiredCount = settings.BridgeDesiredCount,
        }, cluster, apiKey, settings.OtelCollectorImage);
    }

    public Role WorkerRole { get; }

    public Role BridgeRole { get; }

    public FargateService WorkerService { get; }

    public FargateService BridgeService { get; }

    private ICluster Cluster(RunsFleetSettings settings)
    {
        // Vpc.FromLookup runs at synth against the account (needs CDK_DEFAULT_ACCOUNT/REGION);
        // without a VPC id the stack gets its own two-AZ VPC with one NAT for Temporal Cloud and AWS APIs.
        IVpc vpc = settings.VpcId is null
            ? new Vpc(this, "Vpc", new VpcProps { MaxAzs = 2, NatGateways = 1 })
            : Vpc.FromLookup(this, "Vpc", new VpcLookupOptions { VpcId = settings.VpcId });
        return settings.ClusterName is null
            ? new Cluster(this, "Cluster", new ClusterProps { Vpc = vpc, ContainerInsights = true })
            : Amazon.CDK.AWS.ECS.Cluster.FromClusterAttributes(this, "Cluster", new ClusterAttributes
            {
                ClusterName = settings.ClusterName,
                Vpc = vpc,
                SecurityGroups = [],
            });
    }

    private ISecret ApiKeySecret(string nameOrArn) => nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
        ? Amazon.CDK.AWS.SecretsManager.Secret.FromSecretCompleteArn(this, "TemporalApiKey", nameOrArn)
        : Amazon.CDK.AWS.SecretsManager.Secret.FromSecretNameV2(this, "TemporalApiKey", nameOrArn);

    private Role TaskRole(string id, string description, IReadOnlyList<ActionGrant> grants,
        ScopedResources resources) =>
        new(this, id, new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = description,
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                ["least-privilege"] = PolicyFactory.Document(grants, resources),
            },
        });

    private FargateService Service(ServiceSpec spec, ICluster cluster, ISecret? apiKey, string collectorImage)
    {
        var taskDefinition = new FargateTaskDefinition(this, spec.Id + "TaskDefinition", new FargateTaskDefinitionProps
        {
            Cpu = spec.Cpu,
            MemoryLimitMiB = spec.MemoryMiB,
            TaskRole = spec.Role,
            RuntimePlatform = new RuntimePlatform
            {
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
                CpuArchitecture = CpuArchitecture.X86_64,
            },
        });
        var logGroup = new LogGroup(this, spec.Id + "Logs", new LogGroupProps
        {
            LogGroupName = $"/runs-fleet/{spec.ContainerName}",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        var environment = spec.Environment;
        environment["AWS_REGION"] = Stack.Of(this).Region;
        taskDefinition.AddContainer(spec.ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = spec.ContainerName,
            Image = spec.Image,
            Essential = true,
            Environment = environment,
            Secrets = apiKey is null
                ? null
                : new Dictionary<string, EcsSecret> { ["TEMPORAL_API_KEY"] = EcsSecret.FromSecretsManager(apiKey) },
            // stdout (logs and EMF metric lines) goes to CloudWatch Logs, which extracts the EMF metrics.
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = spec.ContainerName,
                LogGroup = logGroup }),
            HealthCheck = new HealthCheck
            {
                Command = ContainerEnvironment.HealthCheckCommand.ToArray(),
                Interval = Duration.Seconds(30),
                Timeout = Duration.Seconds(5),
                Retries = 3,
                StartPeriod = Duration.Seconds(60),
            },
            StopTimeout = Duration.Seconds(spec.StopTimeoutSeconds),
            ReadonlyRootFilesystem = false,
        });
        OtelCollectorSidecar.AddTo(taskDefinition, collectorImage, logGroup);

        return new FargateService(this, spec.Id + "Service", new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = taskDefinition,
            ServiceName = $"runs-fleet-{spec.ContainerName}",
            DesiredCount = spec.DesiredCount,
            // Start the replacement before stopping the old task: triggers and activities keep flowing.
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            AssignPublicIp = false,
        });
    }

    private sealed record ServiceSpec
    {
        public required string Id { get; init; }

        public required string ContainerName { get; init; }

        public required Role Role { get; init; }

        public required ContainerImage Image { get; init; }

        public required Dictionary<string, string> Environment { get; init; }

        public required int Cpu { get; init; }

        public required int MemoryMiB { get; init; }

        public required int StopTimeoutSeconds { get; init; }

        public required int DesiredCount { get; init; }
    }
}

/// <summary>What <see cref="FleetServices"/> needs from the rest of the stack.</summary>
public sealed record FleetServicesProps(
    RunsFleetSettings Settings,
    ScopedResources Resources,
    ContainerImage WorkerImage,
    ContainerImage BridgeImage,
    string ArchiveBucketName,
    string TerminationQueueUrl,
    string HousekeepingQueueUrl);
