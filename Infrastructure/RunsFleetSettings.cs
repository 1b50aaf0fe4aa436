using RunsFleet.Infrastructure.Data;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Infrastructure;

/// <summary>Deployment choices of one runs-fleet environment. Everything comes from CDK context
/// (keys <c>runsFleet:*</c>, see <see cref="Keys"/>) so no value, and no secret, is written into code.</summary>
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
        public const string JobsInstanceIdIndex = "runsFleet:jobsInstanceIdIndex";
        public const string JobsCompletedAtIndex = "runsFleet:jobsCompletedAtIndex";
        public const string JobsStatusCreatedAtIndex = "runsFleet:jobsStatusCreatedAtIndex";
        public const string OmitJobsTableIndexes = "runsFleet:omitJobsTableIndexes";
        public const string PoolsTableName = "runsFleet:poolsTableName";
        public const string CreatePoolsTable = "runsFleet:createPoolsTable";
        public const string ArchiveBucketName = "runsFleet:archiveBucketName";
        public const string ArchivePrefix = "runsFleet:archivePrefix";
        public const string ReportPrefix = "runsFleet:reportPrefix";
        public const string WorkerImage = "runsFleet:workerImage";
        public const string BridgeImage = "runsFleet:bridgeImage";
        public const string BridgeDesiredCount = "runsFleet:bridgeDesiredCount";
        public const string OtelCollectorImage = "runsFleet:otelCollectorImage";
        public const string AlarmTopicArn = "runsFleet:alarmTopicArn";
        public const string TerminationQueueKind = "runsFleet:terminationQueueKind";
        public const string ExistingTerminationQueue = "runsFleet:existingTerminationQueue";
        public const string ExistingTerminationDeadLetterQueue = "runsFleet:existingTerminationDeadLetterQueue";
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

    /// <summary>SSM path of the runners' parameters (RUNS_FLEET_RUNNER_PARAMETER_PREFIX); the IAM scope follows
    /// it.</summary>
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
    /// False (default): the jobs table already exists (runs-fleet's orchestrator owns it) and is adopted by name.
    /// True: this stack creates it as runs-fleet's deploy/terraform/dynamodb.tf does, plus this project's indexes.
    /// </summary>
    public bool CreateJobsTable { get; init; }

    /// <summary>Names of the GSIs the worker queries: created under them, granted, and passed to the worker.</summary>
    public JobsTableIndexes JobsIndexes { get; init; } = JobsTableIndexes.Defaults;

    /// <summary>
    /// runs-fleet's own indexes a created jobs table leaves out for now (<see cref="JobsTableIndexes.RunsFleetOnly"/>):
    /// CloudFormation adds or removes one GSI per stack update, so an existing table gains them one deployment each.
    /// </summary>
    public IReadOnlyList<string> OmittedJobsTableIndexes { get; init; } = [];

    /// <summary>Pools table name (RUNS_FLEET_POOLS_TABLE).</summary>
    public string PoolsTableName { get; init; } = "runs-fleet-pools";

    /// <summary>False (default): the pools table already exists (runs-fleet's) and is adopted by name.
    /// True: this stack creates it as runs-fleet's dynamodb.tf does (key pool_name, TTL claim_expiry, PITR).</summary>
    public bool CreatePoolsTable { get; init; }

    /// <summary>Archive bucket name; null lets CloudFormation name it.</summary>
    public string? ArchiveBucketName { get; init; }

    /// <summary>Key prefix of archived job records (RUNS_FLEET_JOB_ARCHIVE_PREFIX), without surrounding slashes
    /// (the code's
    /// default).</summary>
    public string ArchivePrefix { get; init; } = "runs-fleet/jobs-archive";

    /// <summary>Key prefix of pool reports (RUNS_FLEET_REPORT_PREFIX) in the archive bucket, without surrounding
    /// slashes.</summary>
    public string ReportPrefix { get; init; } = "pool-audit";

    /// <summary>Worker image URI (e.g. an ECR image with tag); null builds Worker/Dockerfile as a CDK asset.</summary>
    public string? WorkerImage { get; init; }

    /// <summary>SqsBridge image URI; null builds SqsBridge/Dockerfile as a CDK asset.</summary>
    public string? BridgeImage { get; init; }

    /// <summary>Tasks of the SqsBridge service: 1 (default), or 0 to deploy the worker first and let the bridge take
    /// termination messages later (the cutover beside runs-fleet, docs/cutover.md, and its way back).</summary>
    public int BridgeDesiredCount { get; init; } = 1;

    /// <summary>Image of the OTLP collector sidecar that ships the Temporal SDK's metrics to CloudWatch
    /// (ADOT).</summary>
    public string OtelCollectorImage { get; init; } = Services.OtelCollectorSidecar.DefaultImage;

    /// <summary>SNS topic the DLQ and bridge alarms notify; null: alarms only show in CloudWatch.</summary>
    public string? AlarmTopicArn { get; init; }

    /// <summary>
    /// Kind of the termination queue: <c>fifo</c> (default, content-based deduplication; every sender must pass
    /// a MessageGroupId) or <c>standard</c>, which a fleet of stock runs-fleet agents needs because they send
    /// without MessageGroupId and a FIFO queue refuses those sends. With <see cref="ExistingTerminationQueue"/>,
    /// the adopted queue's kind (from its name).
    /// </summary>
    public TerminationQueueKind TerminationQueueKind { get; init; } = TerminationQueueKind.Fifo;

    /// <summary>
    /// runs-fleet's termination queue (or any existing one) to adopt, by name or URL: the bridge reads it and the stack
    /// creates no termination queue. Null: the stack creates its own of <see cref="TerminationQueueKind"/>.
    /// </summary>
    public QueueReference? ExistingTerminationQueue { get; init; }

    /// <summary>
    /// The DLQ the adopted queue's RedrivePolicy names, when known: the stack alarms on it and outputs it.
    /// Null with an adopted queue: no termination DLQ alarm (the stack cannot know the queue's DLQ at synthesis).
    /// </summary>
    public QueueReference? ExistingTerminationDeadLetterQueue { get; init; }

    /// <summary>ARN of the instance profile the fleet's runners launch with. Set: the worker gets
    /// RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE (OrphanSweep phase b) and may terminate instances on
    /// that profile
    /// (IAM condition ec2:InstanceProfile), which phase b's instances need because they lack the managed tag.
    /// Null: phase b stays off and no such grant exists. An ARN, not a name: the IAM condition compares ARNs.</summary>
    public string? RunnerInstanceProfileArn { get; init; }

    /// <summary>
    /// runs-fleet's job queue (its RUNS_FLEET_QUEUE_URL), given by URL, which a failed bootstrap's job is requeued
    /// to. Set: the worker gets RUNS_FLEET_QUEUE_URL and sqs:SendMessage on that queue. Null: nothing is requeued
    /// and no such grant exists.
    /// </summary>
    public QueueReference? JobQueue { get; init; }
}
