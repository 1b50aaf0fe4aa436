using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using RunsFleet.Benchmarks.Aws;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// What a measured sweep run needs to find its seeded data: the sweep, the endpoints of the
/// emulators and fakes, the tables and bucket, and the sweep's fixed "now". Passed as JSON to
/// the worker process.
/// </summary>
internal sealed record SweepTarget(
    string Sweep,
    string DynamoDbUrl,
    string S3Url,
    string Ec2Url,
    string SsmUrl,
    string JobsTable,
    string PoolsTable,
    string Bucket,
    DateTimeOffset Now);

/// <summary>The AWS clients of one measured run, each counting its requests on its own counter.</summary>
internal sealed class SweepClients : IDisposable
{
    public const string DynamoDbService = "DynamoDB";
    public const string Ec2Service = "EC2";
    public const string SsmService = "SSM";
    public const string S3Service = "S3";

    private readonly Dictionary<string, AwsRequestCounter> _counters = new(StringComparer.Ordinal)
    {
        [DynamoDbService] = new(),
        [Ec2Service] = new(),
        [SsmService] = new(),
        [S3Service] = new(),
    };

    public SweepClients(SweepTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        DynamoDb = LoopbackClients.DynamoDb(target.DynamoDbUrl, _counters[DynamoDbService]);
        Ec2 = LoopbackClients.Ec2(target.Ec2Url, _counters[Ec2Service]);
        Ssm = LoopbackClients.Ssm(target.SsmUrl, _counters[SsmService]);
        S3 = LoopbackClients.S3(target.S3Url, _counters[S3Service]);
    }

    public AmazonDynamoDBClient DynamoDb { get; }

    public AmazonEC2Client Ec2 { get; }

    public AmazonSimpleSystemsManagementClient Ssm { get; }

    public AmazonS3Client S3 { get; }

    /// <summary>Every request so far, keyed "Service Operation" (e.g. "DynamoDB Query").</summary>
    public Dictionary<string, long> Requests() =>
        _counters
            .SelectMany(service => service.Value.Snapshot().Select(op => (Key: $"{service.Key} {op.Key}", op.Value)))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public void Dispose()
    {
        DynamoDb.Dispose();
        Ec2.Dispose();
        Ssm.Dispose();
        S3.Dispose();
    }
}
