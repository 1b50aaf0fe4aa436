using Amazon.DynamoDBv2.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class DynaliteFixtureTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task Jobs_table_stores_and_returns_an_item_by_job_id()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var db = dynalite.CreateClient();

        await db.PutItemAsync(table, Job(42, "i-0abc", "running", completedAt: null));
        var item = (await db.GetItemAsync(table, new() { ["job_id"] = new AttributeValue { N = "42" } })).Item;

        Assert.Equal("i-0abc", item["instance_id"].S);
        Assert.Equal("running", item["status"].S);
    }

    [Fact]
    public async Task Completed_at_index_answers_range_queries_by_status()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var db = dynalite.CreateClient();
        await db.PutItemAsync(table, Job(1, "i-1", "completed", "2026-01-01T00:00:00Z"));
        await db.PutItemAsync(table, Job(2, "i-2", "completed", "2026-03-01T00:00:00Z"));
        await db.PutItemAsync(table, Job(3, "i-3", "failed", "2026-01-01T00:00:00Z"));

        var response = await db.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = "completed_at-index",
            KeyConditionExpression = "#s = :s AND completed_at < :cutoff",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new()
            {
                [":s"] = new AttributeValue { S = "completed" },
                [":cutoff"] = new AttributeValue { S = "2026-02-01T00:00:00Z" },
            },
        });

        var only = Assert.Single(response.Items);
        Assert.Equal("1", only["job_id"].N);
    }

    [Fact]
    public async Task Instance_id_index_finds_the_job_of_an_instance()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var db = dynalite.CreateClient();
        await db.PutItemAsync(table, Job(7, "i-seven", "running", null));
        await db.PutItemAsync(table, Job(8, "i-eight", "running", null));

        var response = await db.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = "instance-id-index",
            KeyConditionExpression = "instance_id = :i",
            ExpressionAttributeValues = new() { [":i"] = new AttributeValue { S = "i-eight" } },
        });

        Assert.Equal("8", Assert.Single(response.Items)["job_id"].N);
    }

    [Fact]
    public async Task Each_call_creates_a_separate_table_unless_a_name_is_given()
    {
        var first = await dynalite.CreateJobsTableAsync();
        var second = await dynalite.CreateJobsTableAsync();
        var named = await dynalite.CreatePoolsTableAsync("pools-" + Guid.NewGuid().ToString("N")[..8]);
        using var db = dynalite.CreateClient();

        await db.PutItemAsync(first, Job(1, "i-1", "running", null));
        var inSecond = await db.ScanAsync(new ScanRequest { TableName = second });
        var pools = await db.DescribeTableAsync(named);

        Assert.NotEqual(first, second);
        Assert.Empty(inSecond.Items);
        Assert.Equal("pool_name", Assert.Single(pools.Table.KeySchema).AttributeName);
    }

    [Fact]
    public async Task Conditional_update_fails_with_conditional_check_exception()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var db = dynalite.CreateClient();
        await db.PutItemAsync(table, Job(5, "i-5", "completed", "2026-01-01T00:00:00Z"));

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["job_id"] = new AttributeValue { N = "5" } },
            UpdateExpression = "SET #s = :new",
            ConditionExpression = "#s <> :done",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new()
            {
                [":new"] = new AttributeValue { S = "failed" },
                [":done"] = new AttributeValue { S = "completed" },
            },
        }));
    }

    private static Dictionary<string, AttributeValue> Job(long id, string instanceId, string status, string? completedAt)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["job_id"] = new() { N = id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["instance_id"] = new() { S = instanceId },
            ["status"] = new() { S = status },
        };
        if (completedAt is not null)
        {
            item["completed_at"] = new() { S = completedAt };
        }

        return item;
    }
}
