using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>
/// JobRecordActivities.FindActiveJobsOfInstance: dynalite for the real index shape, a scripted
/// loopback DynamoDB for paging and AWS errors.
/// </summary>
public sealed class FindActiveJobsOfInstanceTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private const string Instance = JobItems.Instance;
    private readonly ActivityEnvironment _env = new();

    [Fact]
    public async Task Only_non_terminal_jobs_of_the_instance_are_found()
    {
        using var db = dynalite.CreateClient();
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(db, table, 1, Instance, "completed");
        await JobItems.PutAsync(db, table, 2, Instance, "failed");
        await JobItems.PutAsync(db, table, 3, Instance, "timeout");
        await JobItems.PutAsync(db, table, 4, Instance, "interrupted");
        await JobItems.PutAsync(db, table, 5, Instance, "running");
        await JobItems.PutAsync(db, table, 6, JobItems.OtherInstance, "running");

        var found = await _env.RunAsync(() => Activities(db, table).FindActiveJobsOfInstanceAsync(Instance));

        Assert.Equal([5L], found.JobIds);
        Assert.Equal(5L, found.SingleJobId);
    }

    [Fact]
    public async Task An_instance_without_active_jobs_finds_none()
    {
        using var db = dynalite.CreateClient();
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(db, table, 1, Instance, "completed");

        var found = await _env.RunAsync(() => Activities(db, table).FindActiveJobsOfInstanceAsync(Instance));

        Assert.Empty(found.JobIds);
        Assert.Null(found.SingleJobId);
    }

    [Fact]
    public async Task A_record_without_status_counts_as_active_and_the_search_stops_at_two()
    {
        using var db = dynalite.CreateClient();
        var table = await dynalite.CreateJobsTableAsync();
        await JobsTableSeed.PutJobsAsync(db, table, [(10, Instance, null), (11, Instance, "running"), (12, Instance, "assigned")]);

        var found = await _env.RunAsync(() => Activities(db, table).FindActiveJobsOfInstanceAsync(Instance));

        Assert.Equal(2, found.JobIds.Count);
        Assert.Null(found.SingleJobId);
        Assert.Subset(new HashSet<long> { 10, 11, 12 }, found.JobIds.ToHashSet());
    }

    [Fact]
    public async Task Pages_are_followed_with_their_key_until_the_second_active_job()
    {
        await using var dynamo = new FakeDynamoServer();
        var pages = new Queue<string>(
        [
            """{"Items":[{"job_id":{"N":"1"},"status":{"S":"completed"}}],"LastEvaluatedKey":{"job_id":{"N":"1"},"instance_id":{"S":"i-0a1b2c3d4e5f60718"}}}""",
            """{"Items":[{"job_id":{"N":"2"},"status":{"S":"running"}}],"LastEvaluatedKey":{"job_id":{"N":"2"},"instance_id":{"S":"i-0a1b2c3d4e5f60718"}}}""",
            """{"Items":[{"job_id":{"N":"3"},"status":{"S":"running"}}],"LastEvaluatedKey":{"job_id":{"N":"3"},"instance_id":{"S":"i-0a1b2c3d4e5f60718"}}}""",
            """{"Items":[{"job_id":{"N":"4"},"status":{"S":"running"}}]}""",
        ]);
        dynamo.Handle("Query", _ => new FakeResponse(200, "application/x-amz-json-1.0", pages.Dequeue()));
        using var db = AwsClients.DynamoDb(dynamo.ServiceUrl, maxErrorRetry: 0);

        var found = await _env.RunAsync(() => Activities(db, "jobs").FindActiveJobsOfInstanceAsync(Instance));

        Assert.Equal([2L, 3L], found.JobIds);
        Assert.Equal(3, found.PagesRead);
        var queries = dynamo.RequestsFor("Query");
        Assert.Equal(3, queries.Count);
        Assert.False(queries[0].Json.TryGetProperty("ExclusiveStartKey", out _));
        Assert.Equal("2", queries[2].Json.GetProperty("ExclusiveStartKey").GetProperty("job_id").GetProperty("N").GetString());
        Assert.All(queries, q => Assert.Equal("instance-id-index", q.Json.GetProperty("IndexName").GetString()));
    }

    [Theory]
    [InlineData("ResourceNotFoundException", true)]
    [InlineData("ThrottlingException", false)]
    public async Task Aws_errors_fail_the_activity_typed_with_their_code(string code, bool nonRetryable)
    {
        await using var dynamo = new FakeDynamoServer();
        dynamo.FailNext("Query", code);
        using var db = AwsClients.DynamoDb(dynamo.ServiceUrl, maxErrorRetry: 0);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities(db, "jobs").FindActiveJobsOfInstanceAsync(Instance)));

        Assert.Equal(code, failure.ErrorType);
        Assert.Equal(nonRetryable, failure.NonRetryable);
    }

    [Theory]
    [InlineData("i-0a1b2c3d\n")]
    [InlineData("")]
    [InlineData("i-*")]
    public async Task A_malformed_instance_id_is_invalid_input_without_any_query(string instanceId)
    {
        await using var dynamo = new FakeDynamoServer();
        using var db = AwsClients.DynamoDb(dynamo.ServiceUrl, maxErrorRetry: 0);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities(db, "jobs").FindActiveJobsOfInstanceAsync(instanceId)));

        Assert.Equal("InvalidInput", failure.ErrorType);
        Assert.Empty(dynamo.Requests);
    }

    private static JobRecordActivities Activities(Amazon.DynamoDBv2.IAmazonDynamoDB db, string table) =>
        new(db, Options.Create(new JobsTableOptions { TableName = table }), NullLogger<JobRecordActivities>.Instance);
}
