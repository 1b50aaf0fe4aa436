using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

/// <summary>
/// The test tables are runs-fleet's (deploy/terraform/dynamodb.tf at 2bb4703) and the emulator refuses what
/// DynamoDB refuses on them: an empty string in a secondary index key (runs-fleet commit 2181619).
/// </summary>
public sealed class RunsFleetShapesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_jobs_table_has_runs_fleet_s_indexes_and_ours_only_when_asked()
    {
        using var db = dynalite.CreateClient();
        var theirs = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var ours = await dynalite.CreateJobsTableAsync();

        Assert.Equal(
            ["instance-id-index(instance_id)", "pool-created-at-index(pool,created_at)", "pool-status-index(pool,status)"],
            await IndexesAsync(db, theirs));
        Assert.Equal(
            ["completed_at-index(status,completed_at)", "instance-id-index(instance_id)", "pool-created-at-index(pool,created_at)",
                "pool-status-index(pool,status)", "status-created_at-index(status,created_at)"],
            await IndexesAsync(db, ours));
    }

    [Fact]
    public async Task An_empty_pool_is_refused_on_write_and_a_legacy_one_refuses_status_updates_until_removed()
    {
        using var db = dynalite.CreateClient();
        var table = await dynalite.CreateJobsTableAsync();
        var launched = RunsFleetSeed.Launched(7, "i-0a1b2c3d4e5f60718", Now.AddHours(-3));

        var put = await Assert.ThrowsAsync<AmazonDynamoDBException>(
            () => RunsFleetSeed.PutAsync(db, table, With(RunsFleetSeed.Running(launched, Now), "pool", "")));
        Assert.Contains("IndexName: pool-created-at-index, IndexKey: pool", put.Message, StringComparison.Ordinal);

        await RunsFleetSeed.PutAsync(db, table, RunsFleetSeed.LegacyEmptyPool(RunsFleetSeed.Running(launched, Now)));
        var stored = (await db.GetItemAsync(table, Key(7))).Item;
        Assert.Equal(string.Empty, stored["pool"].S);
        Assert.False(stored.ContainsKey(DynaliteFixture.SeedUncheckedAttribute));

        // The orphan sweep's write before runs-fleet 2181619: SET status only. Refused, as in production.
        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => db.UpdateItemAsync(Update("SET #s = :o")));
        Assert.Contains("pool-status-index", refused.Message, StringComparison.Ordinal);

        // Not a key of any index this update touches: accepted (the empty pool stays unindexed).
        await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = Key(7), UpdateExpression = "SET exit_code = :e",
            ExpressionAttributeValues = new() { [":e"] = new AttributeValue { N = "0" } },
        });

        // With the empty key removed in the same write, the status moves.
        await db.UpdateItemAsync(Update("SET #s = :o REMOVE #p"));
        Assert.Equal("orphaned", (await db.GetItemAsync(table, Key(7))).Item["status"].S);

        UpdateItemRequest Update(string expression) => new()
        {
            TableName = table, Key = Key(7), UpdateExpression = expression,
            ExpressionAttributeNames = expression.Contains("#p", StringComparison.Ordinal)
                ? new() { ["#s"] = "status", ["#p"] = "pool" }
                : new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":o"] = new AttributeValue { S = "orphaned" } },
        };
    }

    [Fact]
    public async Task Seeded_records_read_back_as_the_go_code_writes_them()
    {
        using var db = dynalite.CreateClient();
        var table = await dynalite.CreateJobsTableAsync();
        var cold = RunsFleetSeed.Launched(1, "i-0000000000000000a", Now.AddMinutes(-30));
        var warm = RunsFleetSeed.Launched(2, "i-0000000000000000b", Now.AddMinutes(-20), pool: "linux-arm64");
        await RunsFleetSeed.PutAsync(db, table, cold, RunsFleetSeed.Orphaned(warm, Now), RunsFleetSeed.Claiming(3, Now));

        var coldItem = (await db.GetItemAsync(table, Key(1))).Item;
        var orphaned = (await db.GetItemAsync(table, Key(2))).Item;
        var claim = (await db.GetItemAsync(table, Key(3))).Item;

        Assert.False(coldItem.ContainsKey("pool")); // omitempty since runs-fleet #227
        Assert.Equal("2026-12-07T11:30:00Z", coldItem["created_at"].S);
        Assert.Equal(("orphaned", false), (orphaned["status"].S, orphaned.ContainsKey("pool")));
        Assert.False(claim.ContainsKey("instance_id"));
        Assert.Equal(string.Empty, claim["instance_type"].S);
    }

    private static async Task<string[]> IndexesAsync(IAmazonDynamoDB db, string table) =>
        (await db.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes
            .Select(g => $"{g.IndexName}({string.Join(',', g.KeySchema.Select(k => k.AttributeName))})")
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static Dictionary<string, AttributeValue> Key(long jobId) => new() { ["job_id"] = new AttributeValue { N = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    private static Dictionary<string, AttributeValue> With(Dictionary<string, AttributeValue> item, string name, string value) =>
        new(item, StringComparer.Ordinal) { [name] = new AttributeValue { S = value } };
}
