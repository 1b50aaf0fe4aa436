using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Tests.Support;

/// <summary>
/// xunit fixture running dynalite (in-memory DynamoDB) on a free loopback port.
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
        _emulator = await EmulatorProcess.StartAsync(
            "dynalite",
            port => new EmulatorLaunch(
                ["node_modules/dynalite/cli.js", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0"]));
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
    /// Creates a table shaped like runs-fleet-jobs: key job_id (N); GSI completed_at-index
    /// (status S, completed_at S) and GSI instance_id-index (instance_id S), both projecting ALL,
    /// and GSI status-created_at-index (status S, created_at S) projecting instance_id.
    /// Returns the table name (unique per call unless <paramref name="name"/> is given) once ACTIVE.
    /// Seed GSI sort keys distinct per item at scale: dynalite tells equal index keys apart by a
    /// 24-bit hash of the table key only, so two records with equal index keys may overwrite each
    /// other in the index (real DynamoDB keeps both).
    /// </summary>
    public async Task<string> CreateJobsTableAsync(string? name = null)
    {
        var tableName = name ?? UniqueName("jobs");
        var request = new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("job_id", KeyType.HASH)],
            AttributeDefinitions =
            [
                new AttributeDefinition("job_id", ScalarAttributeType.N),
                new AttributeDefinition("status", ScalarAttributeType.S),
                new AttributeDefinition("completed_at", ScalarAttributeType.S),
                new AttributeDefinition("instance_id", ScalarAttributeType.S),
                new AttributeDefinition("created_at", ScalarAttributeType.S),
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "completed_at-index",
                    KeySchema = [new KeySchemaElement("status", KeyType.HASH), new KeySchemaElement("completed_at", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
                new GlobalSecondaryIndex
                {
                    IndexName = "instance_id-index",
                    KeySchema = [new KeySchemaElement("instance_id", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
                new GlobalSecondaryIndex
                {
                    IndexName = "status-created_at-index",
                    KeySchema = [new KeySchemaElement("status", KeyType.HASH), new KeySchemaElement("created_at", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["instance_id"] },
                },
            ],
        };
        await CreateAndWaitAsync(request);
        return tableName;
    }

    /// <summary>Creates a pools table (key pool_name S) and returns its name (unique per call unless given).</summary>
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
