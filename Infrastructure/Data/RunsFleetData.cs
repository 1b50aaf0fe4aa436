using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.S3;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace RunsFleet.Infrastructure.Data;

/// <summary>The jobs and pools tables, each adopted by name (default: runs-fleet's orchestrator owns them) or created
/// exactly as runs-fleet's deploy/terraform/dynamodb.tf creates it (plus, for the jobs table, this project's two
/// indexes), and the archive bucket for old job records and pool reports.</summary>
public sealed class RunsFleetData : Construct
{
    public RunsFleetData(Construct scope, string id, RunsFleetSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        JobsTableArn = settings.CreateJobsTable
            ? CreateJobsTable(settings).TableArn
            : Table.FromTableName(this, "JobsTable", settings.JobsTableName).TableArn;
        JobsTableIndexArns = [.. settings.JobsIndexes.All.Select(index => $"{JobsTableArn}/index/{index}")];
        PoolsTableArn = settings.CreatePoolsTable
            ? CreatePoolsTable(settings.PoolsTableName).TableArn
            : Table.FromTableName(this, "PoolsTable", settings.PoolsTableName).TableArn;
        ArchiveBucket = CreateArchiveBucket(settings);
    }

    public string JobsTableArn { get; }

    /// <summary>ARNs of the GSIs the worker queries (adopted or not: IAM checks a Query on the index's ARN).</summary>
    public IReadOnlyList<string> JobsTableIndexArns { get; }

    public string PoolsTableArn { get; }

    public Bucket ArchiveBucket { get; }

    private Table CreateJobsTable(RunsFleetSettings settings)
    {
        // Key as dynamodb.tf:31-84.
        var table = CreateTable("CreatedJobsTable", settings.JobsTableName,
            new Attribute { Name = "job_id", Type = AttributeType.NUMBER });
        foreach (var index in JobsTableIndexDefinitions.For(settings.JobsIndexes, settings.OmittedJobsTableIndexes))
        {
            table.AddGlobalSecondaryIndex(index);
        }

        return table;
    }

    // As dynamodb.tf:97-120: key pool_name; TTL on claim_expiry, which only __instance_claim: rows carry, so
    // expired claims go and pool, lock and sighting rows stay.
    private Table CreatePoolsTable(string name) => CreateTable("CreatedPoolsTable", name,
        new Attribute { Name = "pool_name", Type = AttributeType.STRING }, timeToLiveAttribute: "claim_expiry");

    // Billing and PITR as dynamodb.tf. Encryption: the AWS managed key (dynamodb.tf leaves DynamoDB's default, an
    // AWS owned key): its use shows in CloudTrail, and no grant is needed for it.
    private Table CreateTable(string id, string name, Attribute partitionKey, string? timeToLiveAttribute = null) =>
        new(this, id, new TableProps
        {
            TableName = name,
            PartitionKey = partitionKey,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            TimeToLiveAttribute = timeToLiveAttribute,
            PointInTimeRecovery = true,
            Encryption = TableEncryption.AWS_MANAGED,
            // Job history and pool state outlive a stack: deleting the stack must never delete a table.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

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
                Transitions = [new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    TransitionAfter = Duration.Days(30) }],
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
