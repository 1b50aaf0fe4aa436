using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Benchmarks.Aws;
using RunsFleet.Tests.Support;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// Seeds one sweep's data, outside every count: tables in dynalite (shaped like runs-fleet's
/// jobs and pools tables), instances and parameters in fresh loopback fakes of its own.
/// Everything is derived from the item index, so each size seeds the same data every run.
/// </summary>
internal sealed class SeedContext(string dynamoDbUrl, string s3Url, string bucket, DateTimeOffset now) : IDisposable
{
    private const int WritesInFlight = 4;

    // runs-fleet writes created_at on every record; status-created_at-index is keyed on it.
    private const string CreatedAt = "created_at";
    private readonly AmazonDynamoDBClient _dynamo = LoopbackClients.DynamoDb(dynamoDbUrl);

    /// <summary>The sweep's "now"; every seeded time is relative to it.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>EC2 instance id number <paramref name="index"/> (i- and 17 hex digits).</summary>
    public static string InstanceId(int index) => "i-" + index.ToString("x17", CultureInfo.InvariantCulture);

    /// <summary>A job record as JobTermination leaves it (completed_at only once terminal).</summary>
    public static Dictionary<string, AttributeValue> Job(
        long jobId, string instanceId, string status, DateTimeOffset createdAt, DateTimeOffset? completedAt = null, string? pool = null)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [JobRecord.JobId] = new() { N = jobId.ToString(CultureInfo.InvariantCulture) },
            [JobRecord.InstanceId] = new() { S = instanceId },
            [JobRecord.Status] = new() { S = status },
            [CreatedAt] = new() { S = JobRecord.FormatTimestamp(createdAt) },
            [JobRecord.StartedAt] = new() { S = JobRecord.FormatTimestamp(createdAt) },
        };
        if (completedAt is { } completed)
        {
            item[JobRecord.CompletedAt] = new() { S = JobRecord.FormatTimestamp(completed) };
        }

        if (pool is not null)
        {
            item[JobRecord.Pool] = new() { S = pool };
        }

        return item;
    }

    /// <summary>
    /// The endpoints and names a worker needs for <paramref name="sweep"/> (named by its CLI name).
    /// <paramref name="fakes"/> are this sweep's own EC2 and SSM.
    /// </summary>
    public SweepTarget Target(SweepKind sweep, FakeFleet fakes, string jobsTable, string poolsTable = "") =>
        new(SweepDefinition.Of(sweep).CliName, dynamoDbUrl, s3Url, fakes.Ec2.ServiceUrl, fakes.Ssm.ServiceUrl, jobsTable, poolsTable, bucket, Now);

    /// <summary>
    /// A table shaped like runs-fleet-jobs: key job_id (N); GSIs completed_at-index (status,
    /// completed_at) and instance-id-index (instance_id), both projecting everything, and
    /// status-created_at-index (status, created_at) projecting instance_id, as the CDK app creates it.
    /// </summary>
    public async Task<string> CreateJobsTableAsync(string name, CancellationToken cancellationToken)
    {
        static GlobalSecondaryIndex Index(string indexName, params KeySchemaElement[] keys) =>
            new() { IndexName = indexName, KeySchema = [.. keys], Projection = new Projection { ProjectionType = ProjectionType.ALL } };
        var activeJobsIndex = Index(new JobsTableOptions().ActiveJobsIndex, new(JobRecord.Status, KeyType.HASH), new(CreatedAt, KeyType.RANGE));
        activeJobsIndex.Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [JobRecord.InstanceId] };

        await _dynamo.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = name,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement(JobRecord.JobId, KeyType.HASH)],
                AttributeDefinitions =
                [
                    new(JobRecord.JobId, ScalarAttributeType.N),
                    new(JobRecord.Status, ScalarAttributeType.S),
                    new(JobRecord.CompletedAt, ScalarAttributeType.S),
                    new(JobRecord.InstanceId, ScalarAttributeType.S),
                    new(CreatedAt, ScalarAttributeType.S),
                ],
                GlobalSecondaryIndexes =
                [
                    Index("completed_at-index", new(JobRecord.Status, KeyType.HASH), new(JobRecord.CompletedAt, KeyType.RANGE)),
                    Index("instance-id-index", new KeySchemaElement(JobRecord.InstanceId, KeyType.HASH)),
                    activeJobsIndex,
                ],
            },
            cancellationToken);
        await WaitUntilActiveAsync(name, cancellationToken);
        return name;
    }

    /// <summary>A pools table (key pool_name, String).</summary>
    public async Task<string> CreatePoolsTableAsync(string name, CancellationToken cancellationToken)
    {
        await _dynamo.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = name,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pool_name", KeyType.HASH)],
                AttributeDefinitions = [new("pool_name", ScalarAttributeType.S)],
            },
            cancellationToken);
        await WaitUntilActiveAsync(name, cancellationToken);
        return name;
    }

    // Even with --createTableMs 0 dynalite reports a new table CREATING for a moment, and
    // writes to it fail with ResourceNotFoundException until then.
    private async Task WaitUntilActiveAsync(string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var table = (await _dynamo.DescribeTableAsync(name, cancellationToken)).Table;
            if (table.TableStatus == TableStatus.ACTIVE
                && (table.GlobalSecondaryIndexes ?? []).All(index => index.IndexStatus == IndexStatus.ACTIVE))
            {
                return;
            }

            await Task.Delay(25, cancellationToken);
        }

        throw new TimeoutException($"Table {name} did not become ACTIVE in dynalite.");
    }

    /// <summary>Writes every item, 25 per BatchWriteItem, a few in flight, until none is left unprocessed.</summary>
    public async Task PutAllAsync(string table, IEnumerable<Dictionary<string, AttributeValue>> items, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            items.Chunk(25),
            new ParallelOptions { MaxDegreeOfParallelism = WritesInFlight, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                var pending = batch.Select(item => new WriteRequest(new PutRequest(item))).ToList();
                while (pending.Count > 0)
                {
                    var response = await _dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = pending } }, ct);
                    pending = response.UnprocessedItems is { } left && left.TryGetValue(table, out var mine) && mine is not null ? mine : [];
                }
            });
    }

    public void Dispose() => _dynamo.Dispose();
}

/// <summary>One sweep's own loopback EC2 and SSM (the test fakes), seeded directly.</summary>
internal sealed class FakeFleet : IAsyncDisposable
{
    public FakeEc2Server Ec2 { get; } = new();

    public FakeSsmServer Ssm { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Ec2.DisposeAsync();
        await Ssm.DisposeAsync();
    }
}

/// <summary>
/// A seeded sweep: where its data is, the fewest requests it needs by operation, and what a
/// correct run must report (<paramref name="ExpectedOutcome"/> of <paramref name="OutcomeName"/>).
/// </summary>
internal sealed record SeededSweep(
    SweepTarget Target,
    IReadOnlyDictionary<string, long> Minimum,
    long ExpectedOutcome,
    string OutcomeName,
    string Data,
    FakeFleet Fakes);
