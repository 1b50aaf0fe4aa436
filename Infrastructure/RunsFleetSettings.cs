using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Infrastructure;

/// <summary>
/// Deployment choices of one runs-fleet environment. Everything comes from CDK context
/// (keys <c>runsFleet:*</c>, see <see cref="Keys"/>) so no value, and no secret, is written into code.
/// </summary>
public sealed partial record RunsFleetSettings
{
    /// <summary>Context keys, as given with <c>cdk deploy -c key=value</c> or in cdk.json.</summary>
    public static class Keys
    {
        public const string TemporalAddress = "runsFleet:temporalAddress";
        public const string TemporalNamespace = "runsFleet:temporalNamespace";
        public const string TemporalApiKeySecret = "runsFleet:temporalApiKeySecret";
        public const string TemporalTls = "runsFleet:temporalTls";
        public const string RunnerParameterPrefix = "runsFleet:runnerParameterPrefix";
        public const string TaskQueue = "runsFleet:taskQueue";
        public const string VpcId = "runsFleet:vpcId";
        public const string ClusterName = "runsFleet:clusterName";
        public const string JobsTableName = "runsFleet:jobsTableName";
        public const string CreateJobsTable = "runsFleet:createJobsTable";
        public const string PoolsTableName = "runsFleet:poolsTableName";
        public const string ArchiveBucketName = "runsFleet:archiveBucketName";
        public const string ArchivePrefix = "runsFleet:archivePrefix";
        public const string ReportPrefix = "runsFleet:reportPrefix";
        public const string WorkerImage = "runsFleet:workerImage";
        public const string BridgeImage = "runsFleet:bridgeImage";
        public const string OtelCollectorImage = "runsFleet:otelCollectorImage";
        public const string AlarmTopicArn = "runsFleet:alarmTopicArn";
        public const string TerminationQueueKind = "runsFleet:terminationQueueKind";
        public const string RunnerInstanceProfileArn = "runsFleet:runnerInstanceProfileArn";
        public const string JobQueueUrl = "runsFleet:jobQueueUrl";
    }

    /// <summary>Temporal frontend, e.g. <c>my-ns.a1b2c.tmprl.cloud:7233</c> (TEMPORAL_ADDRESS).</summary>
    public required string TemporalAddress { get; init; }

    /// <summary>Temporal namespace (TEMPORAL_NAMESPACE).</summary>
    public string TemporalNamespace { get; init; } = "default";

    /// <summary>
    /// Name or ARN of a Secrets Manager secret holding the Temporal Cloud API key. ECS injects it as
    /// TEMPORAL_API_KEY at start, so the key never appears in the template. Null: no API key (mTLS or self-hosted).
    /// </summary>
    public string? TemporalApiKeySecret { get; init; }

    /// <summary>Connect to Temporal over TLS (TEMPORAL_TLS); true by default, as Temporal Cloud requires.</summary>
    public bool TemporalTls { get; init; } = true;

    /// <summary>SSM path of the runners' parameters (RUNS_FLEET_RUNNER_PARAMETER_PREFIX); the IAM scope follows it.</summary>
    public string RunnerParameterPrefix { get; init; } = "/runs-fleet/runners";

    /// <summary>Temporal task queue (RUNS_FLEET_TASK_QUEUE).</summary>
    public string TaskQueue { get; init; } = "runs-fleet";

    /// <summary>Existing VPC to run in; null creates one.</summary>
    public string? VpcId { get; init; }

    /// <summary>Existing ECS cluster (in <see cref="VpcId"/>); null creates one.</summary>
    public string? ClusterName { get; init; }

    /// <summary>Jobs table name (RUNS_FLEET_JOBS_TABLE).</summary>
    public string JobsTableName { get; init; } = "runs-fleet-jobs";

    /// <summary>
    /// False (default): the jobs table already exists (the fleet's orchestrator owns it) and is imported by name.
    /// True: this stack creates it with both GSIs.
    /// </summary>
    public bool CreateJobsTable { get; init; }

    /// <summary>Pools table name (RUNS_FLEET_POOLS_TABLE), always imported.</summary>
    public string PoolsTableName { get; init; } = "runs-fleet-pools";

    /// <summary>Archive bucket name; null lets CloudFormation name it.</summary>
    public string? ArchiveBucketName { get; init; }

    /// <summary>Key prefix of archived job records (RUNS_FLEET_ARCHIVE_PREFIX), without surrounding slashes (the code's default).</summary>
    public string ArchivePrefix { get; init; } = "runs-fleet/jobs-archive";

    /// <summary>Key prefix of pool reports (RUNS_FLEET_REPORT_PREFIX) in the archive bucket, without surrounding slashes.</summary>
    public string ReportPrefix { get; init; } = "pool-audit";

    /// <summary>Worker image URI (e.g. an ECR image with tag); null builds Worker/Dockerfile as a CDK asset.</summary>
    public string? WorkerImage { get; init; }

    /// <summary>SqsBridge image URI; null builds SqsBridge/Dockerfile as a CDK asset.</summary>
    public string? BridgeImage { get; init; }

    /// <summary>Image of the OTLP collector sidecar that ships the Temporal SDK's metrics to CloudWatch (ADOT).</summary>
    public string OtelCollectorImage { get; init; } = Services.OtelCollectorSidecar.DefaultImage;

    /// <summary>SNS topic the DLQ and bridge alarms notify; null: alarms only show in CloudWatch.</summary>
    public string? AlarmTopicArn { get; init; }

    /// <summary>
    /// Kind of the termination queue: <c>fifo</c> (default, content-based deduplication; every sender must pass
    /// a MessageGroupId) or <c>standard</c>, which a fleet of stock runs-fleet agents needs because they send
    /// without MessageGroupId and a FIFO queue refuses those sends.
    /// </summary>
    public TerminationQueueKind TerminationQueueKind { get; init; } = TerminationQueueKind.Fifo;

    /// <summary>
    /// ARN of the instance profile the fleet's runners launch with. Set: the worker gets
    /// RUNS_FLEET_ORPHAN_RUNNER_INSTANCE_PROFILE (OrphanSweep phase b) and may terminate instances on that profile
    /// (IAM condition ec2:InstanceProfile), which phase b's instances need because they lack the managed tag.
    /// Null: phase b stays off and no such grant exists. An ARN, not a name: the IAM condition compares ARNs.
    /// </summary>
    public string? RunnerInstanceProfileArn { get; init; }

    /// <summary>
    /// URL of runs-fleet's job queue (its RUNS_FLEET_QUEUE_URL), which a failed bootstrap's job is requeued
    /// to. Set: the worker gets RUNS_FLEET_QUEUE_URL and sqs:SendMessage on that queue. Null: nothing is requeued
    /// and no such grant exists.
    /// </summary>
    public string? JobQueueUrl { get; init; }

    /// <summary>ARN of <see cref="JobQueueUrl"/>: arn:{partition}:sqs:{region}:{account}:{name}; or null.</summary>
    public string? JobQueueArn => JobQueueUrl is { } url && QueueUrl().Match(url) is { Success: true } m
        ? string.Join(
            ':',
            "arn",
            m.Groups["cn"].Success ? "aws-cn" : "aws",
            "sqs",
            m.Groups["region"].Value,
            m.Groups["account"].Value,
            m.Groups["name"].Value)
        : null;

    /// <summary>Reads the settings from the app's context; throws naming every missing required key.</summary>
    public static RunsFleetSettings FromContext(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        string? Text(string key) => node.TryGetContext(key) switch
        {
            null => null,
            string s when string.IsNullOrWhiteSpace(s) => null,
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };

        var address = Text(Keys.TemporalAddress);
        if (address is null)
        {
            throw new InvalidOperationException(
                $"Missing CDK context '{Keys.TemporalAddress}' (the Temporal frontend host:port, e.g. my-ns.a1b2c.tmprl.cloud:7233); pass it with -c {Keys.TemporalAddress}=...");
        }

        var kind = Text(Keys.TerminationQueueKind) is { } kindText
            ? ParseTerminationQueueKind(kindText)
            : TerminationQueueKind.Fifo;

        var defaults = new RunsFleetSettings { TemporalAddress = address };
        return defaults with
        {
            TemporalNamespace = Text(Keys.TemporalNamespace) ?? defaults.TemporalNamespace,
            TemporalApiKeySecret = Text(Keys.TemporalApiKeySecret),
            TemporalTls = !string.Equals(Text(Keys.TemporalTls), "false", StringComparison.OrdinalIgnoreCase),
            RunnerParameterPrefix = (Text(Keys.RunnerParameterPrefix) ?? defaults.RunnerParameterPrefix).TrimEnd('/'),
            TaskQueue = Text(Keys.TaskQueue) ?? defaults.TaskQueue,
            VpcId = Text(Keys.VpcId),
            ClusterName = Text(Keys.ClusterName),
            JobsTableName = Text(Keys.JobsTableName) ?? defaults.JobsTableName,
            CreateJobsTable = string.Equals(Text(Keys.CreateJobsTable), "true", StringComparison.OrdinalIgnoreCase),
            PoolsTableName = Text(Keys.PoolsTableName) ?? defaults.PoolsTableName,
            ArchiveBucketName = Text(Keys.ArchiveBucketName),
            // The activities write keys as "{prefix without slashes}/{...}", so the IAM scope is "{prefix}/*".
            ArchivePrefix = (Text(Keys.ArchivePrefix) ?? defaults.ArchivePrefix).Trim('/'),
            ReportPrefix = (Text(Keys.ReportPrefix) ?? defaults.ReportPrefix).Trim('/'),
            WorkerImage = Text(Keys.WorkerImage),
            BridgeImage = Text(Keys.BridgeImage),
            OtelCollectorImage = Text(Keys.OtelCollectorImage) ?? defaults.OtelCollectorImage,
            AlarmTopicArn = Text(Keys.AlarmTopicArn),
            TerminationQueueKind = kind,
            RunnerInstanceProfileArn = Text(Keys.RunnerInstanceProfileArn) is { } profile ? ValidRunnerInstanceProfileArn(profile) : null,
            JobQueueUrl = Text(Keys.JobQueueUrl) is { } queue ? ValidJobQueueUrl(queue) : null,
        };
    }

    private static TerminationQueueKind ParseTerminationQueueKind(string value) =>
        TerminationQueueKinds.TryParse(value, out var kind)
            ? kind
            : throw new InvalidOperationException(
                $"Invalid CDK context '{Keys.TerminationQueueKind}': '{value}'. Allowed values: {string.Join(" | ", TerminationQueueKinds.Values)} "
                + "(standard for stock runs-fleet agents, which send without MessageGroupId; fifo, the default, for senders that pass one).");

    private static string ValidRunnerInstanceProfileArn(string value) =>
        InstanceProfileArn().IsMatch(value)
            ? value
            : throw new InvalidOperationException(
                $"Invalid CDK context '{Keys.RunnerInstanceProfileArn}': '{value}'. Expected the ARN of the runners' instance profile, "
                + "arn:<partition>:iam::<12-digit account>:instance-profile/[<path>/]<name> (a name alone is not enough: the IAM condition ec2:InstanceProfile compares ARNs).");

    private static string ValidJobQueueUrl(string value) =>
        QueueUrl().IsMatch(value)
            ? value
            : throw new InvalidOperationException(
                $"Invalid CDK context '{Keys.JobQueueUrl}': '{value}'. Expected the URL of runs-fleet's job queue "
                + "(its RUNS_FLEET_QUEUE_URL), https://sqs.<region>.amazonaws.com/<12-digit account>/<queue name> "
                + "(the grant is made on the queue it names).");

    // SQS's own URL form (the legacy <region>.queue.amazonaws.com is not accepted): a queue name is 1-80 of
    // letters, digits, - and _, a FIFO one ending in .fifo.
    [GeneratedRegex(
        @"^https://sqs\.(?<region>[a-z]{2}(-[a-z]+)+-[0-9])\.amazonaws\.com(?<cn>\.cn)?/(?<account>[0-9]{12})/"
            + @"(?<name>(?=[A-Za-z0-9_.-]{1,80}\z)[A-Za-z0-9_-]+(\.fifo)?)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex QueueUrl();

    // Partitions aws, aws-cn, aws-us-gov, ...; IAM's path and name characters; at most 512 after "instance-profile/",
    // which is also what the worker's RUNS_FLEET_ORPHAN_RUNNER_INSTANCE_PROFILE validation accepts.
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:instance-profile/(?=.{1,512}\z)([A-Za-z0-9_+=,.@-]+/)*[A-Za-z0-9_+=,.@-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceProfileArn();
}
