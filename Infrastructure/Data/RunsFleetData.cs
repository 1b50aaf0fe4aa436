using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.S3;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace RunsFleet.Infrastructure.Data;

/// <summary>
/// The jobs table (imported by default: the fleet's orchestrator owns it; created with its three GSIs
/// on request), the pools table (imported) and the archive bucket for old job records and pool reports.
/// </summary>
public sealed class RunsFleetData : Construct
{
    public const string CompletedAtIndex = "completed_at-index";
    public const string InstanceIdIndex = "instance-id-index";
    public const string ActiveJobsIndex = "status-created_at-index";

    public RunsFleetData(Construct scope, string id, RunsFleetSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        JobsTableName = settings.JobsTableName;
        PoolsTableName = settings.PoolsTableName;
        JobsTableArn = settings.CreateJobsTable
            ? CreateJobsTable(settings.JobsTableName).TableArn
            : Table.FromTableName(this, "JobsTable", settings.JobsTableName).TableArn;
        PoolsTableArn = Table.FromTableName(this, "PoolsTable", settings.PoolsTableName).TableArn;
        ArchiveBucket = CreateArchiveBucket(settings);
    }

    public string JobsTableName { get; }

    public string JobsTableArn { get; }

    /// <summary>ARNs of the GSIs the sweeps query.</summary>
    public IReadOnlyList<string> JobsTableIndexArns =>
        [$"{JobsTableArn}/index/{CompletedAtIndex}", $"{JobsTableArn}/index/{InstanceIdIndex}", $"{JobsTableArn}/index/{ActiveJobsIndex}"];

    public string PoolsTableName { get; }

    public string PoolsTableArn { get; }

    public Bucket ArchiveBucket { get; }

    private Table CreateJobsTable(string name)
    {
        var table = new Table(this, "CreatedJobsTable", new TableProps
        {
            TableName = name,
            PartitionKey = new Attribute { Name = "job_id", Type = AttributeType.NUMBER },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            Encryption = TableEncryption.AWS_MANAGED,
            // Job history outlives a stack: deleting the stack must never delete the table.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        // OldJobArchival: terminal status + completed_at range; the whole record is archived, so ALL.
        table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = CompletedAtIndex,
            PartitionKey = new Attribute { Name = "status", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "completed_at", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.ALL,
        });
        // OrphanSweep / PoolAudit: the active job of an instance.
        table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = InstanceIdIndex,
            PartitionKey = new Attribute { Name = "instance_id", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.ALL,
        });
        // OrphanSweep / PoolAudit / OrphanedJobSweep: every non-terminal job once per sweep (one
        // Query per active status, oldest first), so the reads follow the active jobs, not the
        // fleet. Only instance_id is needed.
        table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = ActiveJobsIndex,
            PartitionKey = new Attribute { Name = "status", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "created_at", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.INCLUDE,
            NonKeyAttributes = ["instance_id"],
        });
        return table;
    }

    private Bucket CreateArchiveBucket(RunsFleetSettings settings) => new(this, "ArchiveBucket", new BucketProps
    {
        BucketName = settings.ArchiveBucketName,
        Encryption = BucketEncryption.S3_MANAGED,
        BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
        EnforceSSL = true,
        ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
        RemovalPolicy = RemovalPolicy.RETAIN,
        LifecycleRules =
        [
            new LifecycleRule
            {
                Id = "archived-jobs",
                Prefix = settings.ArchivePrefix + "/",
                Transitions = [new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL, TransitionAfter = Duration.Days(30) }],
                Expiration = Duration.Days(400),
                AbortIncompleteMultipartUploadAfter = Duration.Days(7),
            },
            new LifecycleRule
            {
                Id = "pool-reports",
                Prefix = settings.ReportPrefix + "/",
                Expiration = Duration.Days(90),
                AbortIncompleteMultipartUploadAfter = Duration.Days(7),
            },
        ],
    });
}
