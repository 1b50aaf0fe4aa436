using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Tests.Support;

/// <summary>
/// xunit fixture running dynalite (in-memory DynamoDB) on a free loopback port, through
/// Tests/Emulators/dynalite-strict.js, which refuses an empty string in a secondary index key
/// as DynamoDB does (seed a legacy record that has one with <see cref="SeedUncheckedAttribute"/>).
/// Use as <c>IClassFixture&lt;DynaliteFixture&gt;</c> (or a collection fixture), then
/// <c>var table = await fixture.CreateJobsTableAsync(); using var db = fixture.CreateClient();</c>.
/// Tables get unique names, so tests sharing one fixture do not see each other's data.
/// </summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    /// <summary>http://127.0.0.1:PORT of the running dynalite.</summary>
    public string ServiceUrl => (_emulator ?? throw new InvalidOperationException("DynaliteFixture is not started.")).ServiceUrl;

    /// <summary>Starts dynalite (installs Tests/Emulators on first use).</summary>
    public async Task InitializeAsync()
    {
        _emulator = await EmulatorProcess.StartAsync("dynalite", EmulatorLaunch.Dynalite);
    }

    /// <summary>Stops dynalite.</summary>
    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>A real v4 DynamoDB client for this dynalite (dispose it in the test).</summary>
    public AmazonDynamoDBClient CreateClient() => AwsClients.DynamoDb(ServiceUrl);

    /// <summary>
    /// An item attribute that makes dynalite-strict write the item without the index-key check
    /// (and without this attribute): how a test seeds a legacy record with pool = "", which real
    /// tables hold from before runs-fleet's pool-status-index existed.
    /// </summary>
    public const string SeedUncheckedAttribute = "__seed_unchecked";

    /// <summary>
    /// Creates the jobs table exactly as runs-fleet's deploy/terraform/dynamodb.tf does (key
    /// job_id N; GSIs pool-created-at-index (pool, created_at), instance-id-index (instance_id) and
    /// pool-status-index (pool, status), all projecting ALL) plus, unless
    /// <paramref name="withAddedIndexes"/> is false, the two indexes this project adds as
    /// docs/runs-fleet-compatibility.md gives them: completed_at-index (status, completed_at, ALL)
    /// and status-created_at-index (status, created_at, INCLUDE instance_id).
    /// Returns the table name (unique per call unless <paramref name="name"/> is given) once ACTIVE.
    /// Seed GSI sort keys distinct per item at scale: dynalite tells equal index keys apart by a
    /// 24-bit hash of the table key only, so two records with equal index keys may overwrite each
    /// other in the index (real DynamoDB keeps both).
    /// </summary>
    public async Task<string> CreateJobsTableAsync(string? name = null, bool withAddedIndexes = true)
    {
        var tableName = name ?? UniqueName("jobs");
        var indexes = new List<GlobalSecondaryIndex>
        {
            Index("pool-created-at-index", "pool", "created_at"),
            Index("instance-id-index", "instance_id", null),
            Index("pool-status-index", "pool", "status"),
        };
        if (withAddedIndexes)
        {
            indexes.Add(Index("completed_at-index", "status", "completed_at"));
            var active = Index("status-created_at-index", "status", "created_at");
            active.Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["instance_id"] };
            indexes.Add(active);
        }

        var attributes = new List<AttributeDefinition>
        {
            new("job_id", ScalarAttributeType.N),
            new("pool", ScalarAttributeType.S),
            new("created_at", ScalarAttributeType.S),
            new("instance_id", ScalarAttributeType.S),
            new("status", ScalarAttributeType.S),
        };
        if (withAddedIndexes)
        {
            attributes.Add(new AttributeDefinition("completed_at", ScalarAttributeType.S));
        }

        await CreateAndWaitAsync(new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("job_id", KeyType.HASH)],
            AttributeDefinitions = attributes,
            GlobalSecondaryIndexes = indexes,
        });
        return tableName;
    }

    /// <summary>
    /// Creates the pools table as runs-fleet's dynamodb.tf does (key pool_name S, no index; its
    /// TTL on claim_expiry is not emulated) and returns its name (unique per call unless given).
    /// </summary>
    public async Task<string> CreatePoolsTableAsync(string? name = null)
    {
        var tableName = name ?? UniqueName("pools");
        await CreateAndWaitAsync(new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pool_name", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pool_name", ScalarAttributeType.S)],
        });
        return tableName;
    }

    private static GlobalSecondaryIndex Index(string name, string hash, string? range)
    {
        var keys = new List<KeySchemaElement> { new(hash, KeyType.HASH) };
        if (range is not null)
        {
            keys.Add(new KeySchemaElement(range, KeyType.RANGE));
        }

        return new GlobalSecondaryIndex
        {
            IndexName = name,
            KeySchema = keys,
            Projection = new Projection { ProjectionType = ProjectionType.ALL },
        };
    }

    private async Task CreateAndWaitAsync(CreateTableRequest request)
    {
        using var client = CreateClient();
        await client.CreateTableAsync(request);
        for (var i = 0; i < 200; i++)
        {
            var table = (await client.DescribeTableAsync(request.TableName)).Table;
            var indexesActive = table.GlobalSecondaryIndexes is null
                || table.GlobalSecondaryIndexes.All(g => g.IndexStatus == IndexStatus.ACTIVE);
            if (table.TableStatus == TableStatus.ACTIVE && indexesActive)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Table {request.TableName} did not become ACTIVE in dynalite.");
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
