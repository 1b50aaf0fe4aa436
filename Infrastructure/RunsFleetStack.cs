using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Constructs;
using RunsFleet.Infrastructure.Data;
using RunsFleet.Infrastructure.Messaging;
using RunsFleet.Infrastructure.Monitoring;
using RunsFleet.Infrastructure.Permissions;
using RunsFleet.Infrastructure.Services;

namespace RunsFleet.Infrastructure;

/// <summary>
/// One runs-fleet environment: queues with DLQs and alarms, tables (adopted or created), archive bucket, the Worker and
/// SqsBridge on ECS Fargate with one least-privilege task role each (<see cref="ServicePermissions"/>)
/// and an OTLP collector sidecar each, and alarms on the bridge's metrics (<see cref="BridgeAlarms"/>).
/// </summary>
public sealed partial class RunsFleetStack : Stack
{
    public RunsFleetStack(Construct scope, string id, RunsFleetSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Queues = new RunsFleetQueues(this, "Queues", settings);
        Data = new RunsFleetData(this, "Data", settings);

        var resources = new ScopedResources
        {
            TerminationQueueArn = Queues.Termination.QueueArn,
            HousekeepingQueueArn = Queues.Housekeeping.QueueArn,
            JobsTableArn = Data.JobsTableArn,
            JobsTableIndexArns = Data.JobsTableIndexArns,
            PoolsTableArn = Data.PoolsTableArn,
            RunnerParametersArn = FormatArn(new ArnComponents
            {
                Service = "ssm",
                Resource = "parameter",
                ResourceName = settings.RunnerParameterPrefix.TrimStart('/') + "/*",
            }),
            ArchiveObjectsArn = Data.ArchiveBucket.ArnForObjects(settings.ArchivePrefix + "/*"),
            ReportObjectsArn = Data.ArchiveBucket.ArnForObjects(settings.ReportPrefix + "/*"),
            InstancesArn = FormatArn(new ArnComponents { Service = "ec2", Resource = "instance", ResourceName = "*" }),
            RunnerInstanceProfileArn = settings.RunnerInstanceProfileArn,
            JobQueueArn = settings.JobQueue?.ArnIn(this),
        };

        Services = new FleetServices(this, "Services", new FleetServicesProps(
            settings,
            resources,
            Image("WorkerRepository", settings.WorkerImage, "Worker/Dockerfile"),
            Image("BridgeRepository", settings.BridgeImage, "SqsBridge/Dockerfile"),
            Data.ArchiveBucket.BucketName,
            Queues.Termination.QueueUrl,
            Queues.Housekeeping.QueueUrl));
        BridgeAlarms = new BridgeAlarms(this, "BridgeAlarms", settings.AlarmTopicArn);

        // What the fleet's senders are configured with: the agents and the boot shim send to this URL, and
        // the kind says whether they must pass a MessageGroupId (fifo) or must not (standard).
        _ = new CfnOutput(this, "TerminationQueueUrl", new CfnOutputProps
        {
            Value = Queues.Termination.QueueUrl,
            Description = "Termination queue the runner agents and the boot shim send to",
        });
        _ = new CfnOutput(this, "TerminationQueueKind", new CfnOutputProps
        {
            Value = Queues.TerminationKind.ToValue(),
            Description = "fifo: senders pass a MessageGroupId; standard: stock runs-fleet agents (no MessageGroupId)",
        });
        // An adopted queue's DLQ is known only when given; without it there is nothing true to output.
        if (Queues.TerminationDeadLetters is { } deadLetters)
        {
            _ = new CfnOutput(this, "TerminationDeadLetterQueueUrl", new CfnOutputProps
            {
                Value = deadLetters.QueueUrl,
                Description = "Termination DLQ: messages received maxReceiveCount times without a delete",
            });
        }

        _ = new CfnOutput(this, "HousekeepingQueueUrl", new CfnOutputProps
        {
            Value = Queues.Housekeeping.QueueUrl,
            Description = "Housekeeping queue: task_type triggers of the sweeps",
        });
    }

    public RunsFleetQueues Queues { get; }

    public RunsFleetData Data { get; }

    public FleetServices Services { get; }

    public BridgeAlarms BridgeAlarms { get; }

    /// <summary>A published image when one is named, else the repository's Dockerfile built as a CDK asset.
    /// An ECR image goes through the repository construct so the task execution role may pull
    /// it (FromRegistry grants no ECR rights: a private ECR image would never start).</summary>
    private ContainerImage Image(string repositoryId, string? uri, string dockerfile)
    {
        if (uri is null)
        {
            return ContainerImage.FromAsset(RepositoryRoot(), new AssetImageProps { File = dockerfile });
        }

        var ecr = EcrImage().Match(uri);
        if (!ecr.Success)
        {
            return ContainerImage.FromRegistry(uri);
        }

        var repository = Repository.FromRepositoryAttributes(this, repositoryId, new RepositoryAttributes
        {
            RepositoryName = ecr.Groups["repo"].Value,
            RepositoryArn = $"arn:{Aws.PARTITION}:ecr:{ecr.Groups["region"].Value}:{ecr.Groups["account"].Value}:"
                + $"repository/{ecr.Groups["repo"].Value}",
        });
        return ContainerImage.FromEcrRepository(repository,
            ecr.Groups["tag"].Success ? ecr.Groups["tag"].Value : "latest");
    }

    [GeneratedRegex(
        @"^(?<account>\d{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com/"
            + @"(?<repo>[a-z0-9._/-]+)(:(?<tag>[A-Za-z0-9._-]+))?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex EcrImage();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RunsFleet.Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            "RunsFleet.Workflows.sln not found above the current directory: run cdk from Infrastructure/ or pass -c "
                + "runsFleet:workerImage=... -c runsFleet:bridgeImage=...");
    }
}
