using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>JobRecordActivities when DynamoDB misbehaves (a scripted loopback DynamoDB, real v4 client).</summary>
public sealed class JobRecordActivitiesFailureTests : IAsyncLifetime
{
    private const string Instance = "i-0a1b2c3d4e5f60718";
    private static readonly DateTimeOffset Completed = new(2026, 11, 20, 10, 6, 52, TimeSpan.Zero);

    private readonly FakeDynamoServer _dynamo = new();
    private readonly ActivityEnvironment _env = new();
    private Amazon.DynamoDBv2.AmazonDynamoDBClient? _client;

    public Task InitializeAsync()
    {
        _client = AwsClients.DynamoDb(_dynamo.ServiceUrl, maxErrorRetry: 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _dynamo.DisposeAsync();
    }

    [Fact]
    public async Task Throttled_update_surfaces_as_a_retryable_failure_typed_with_the_aws_code()
    {
        _dynamo.FailNext("UpdateItem", "ProvisionedThroughputExceededException");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => _env.RunAsync(() => Activities().CompleteJobAsync(Request())));

        Assert.Equal("ProvisionedThroughputExceededException", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal(["UpdateItem"], _dynamo.Requests.Select(r => r.Operation).ToArray());
    }

    [Fact]
    public async Task Throttled_read_back_after_a_failed_condition_is_retryable()
    {
        _dynamo.FailNext("UpdateItem", "ConditionalCheckFailedException");
        _dynamo.FailNext("GetItem", "ThrottlingException");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => _env.RunAsync(() => Activities().CompleteJobAsync(Request())));

        Assert.Equal("ThrottlingException", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal(["UpdateItem", "GetItem"], _dynamo.Requests.Select(r => r.Operation).ToArray());
        Assert.True(_dynamo.Requests[1].Json.GetProperty("ConsistentRead").GetBoolean());
    }

    [Fact]
    public async Task Record_that_changed_between_update_and_read_back_is_retried_not_guessed()
    {
        // The condition failed, yet the record read back is ours and still running.
        _dynamo.FailNext("UpdateItem", "ConditionalCheckFailedException");
        _dynamo.Handle("GetItem", _ => FakeDynamoServer.Item(7, new Dictionary<string, string> { ["instance_id"] = Instance, ["status"] = "running" }));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => _env.RunAsync(() => Activities().CompleteJobAsync(Request())));

        Assert.Equal(FailureTypes.ConcurrentJobUpdate, failure.ErrorType);
        Assert.False(failure.NonRetryable);
    }

    [Fact]
    public async Task Update_asks_for_the_owned_not_yet_terminal_condition()
    {
        _dynamo.FailNext("UpdateItem", "ConditionalCheckFailedException");
        _dynamo.Handle("GetItem", _ => FakeDynamoServer.Item(7, new Dictionary<string, string> { ["instance_id"] = Instance, ["status"] = "failed", ["pool"] = "p" }));

        var result = await _env.RunAsync(() => Activities().CompleteJobAsync(Request()));

        Assert.Equal(new CompleteJobResult(CompleteJobOutcome.AlreadyTerminal, "p", "failed", Instance), result);
        var update = _dynamo.Requests[0].Json;
        Assert.Equal("jobs", update.GetProperty("TableName").GetString());
        Assert.Equal("7", update.GetProperty("Key").GetProperty("job_id").GetProperty("N").GetString());
        var condition = update.GetProperty("ConditionExpression").GetString()!;
        Assert.Contains("attribute_exists(#job_id)", condition, StringComparison.Ordinal);
        Assert.Contains("#instance_id = :instance_id", condition, StringComparison.Ordinal);
        Assert.Contains("NOT (#status IN (", condition, StringComparison.Ordinal);
        var values = update.GetProperty("ExpressionAttributeValues");
        var terminal = values.EnumerateObject().Where(v => v.Name.StartsWith(":terminal", StringComparison.Ordinal)).Select(v => v.Value.GetProperty("S").GetString()).Order().ToArray();
        Assert.Equal(new[] { "cancelled", "completed", "error", "failed", "failure", "interrupted", "success", "timeout" }, terminal);
    }

    private JobRecordActivities Activities() =>
        new(_client!, Options.Create(new JobsTableOptions { TableName = "jobs" }), NullLogger<JobRecordActivities>.Instance);

    private static CompleteJobRequest Request() =>
        new CompleteJobRequest
        {
            JobId = 7,
            InstanceId = Instance,
            Status = "completed",
            CompletedAt = Completed,
            StartedAt = null,
            ExitCode = 0,
            DurationSeconds = 10,
            Error = null,
            InterruptedBy = null,
        };
}
