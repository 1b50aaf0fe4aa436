using Amazon.DynamoDBv2;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Tests.Activities.Jobs;

public sealed class JobRecordRequestsTests
{
    private static readonly CompleteJobRequest Base = new()
    {
        JobId = 42,
        InstanceId = "i-0a1b2c3d4e5f60718",
        Status = "failed",
        CompletedAt = new DateTimeOffset(2026, 11, 20, 12, 1, 35, TimeSpan.FromHours(2)),
        StartedAt = null,
        ExitCode = 2,
        DurationSeconds = 95,
        Error = null,
        InterruptedBy = null,
    };

    // The activity input is recorded in histories: this is byte for byte what the positional record wrote.
    [Fact]
    public void Completion_request_json_is_what_the_positional_record_wrote()
    {
        const string Positional = "{\"JobId\":42,\"InstanceId\":\"i-0a1b2c3d4e5f60718\",\"Status\":\"failed\","
            + "\"CompletedAt\":\"2026-11-20T12:01:35+02:00\",\"StartedAt\":null,\"ExitCode\":2,"
            + "\"DurationSeconds\":95,\"Error\":null,\"InterruptedBy\":null}";
        var converter = Temporalio.Converters.DataConverter.Default.PayloadConverter;
        var payload = converter.ToPayload(Base);
        Assert.Equal(Positional, payload.Data.ToStringUtf8());
        Assert.Equal(Base, converter.ToValue(payload, typeof(CompleteJobRequest)));
    }

    [Fact]
    public void Completion_sets_the_end_fields_under_the_ownership_guard()
    {
        var update = JobRecordRequests.Complete("jobs", Base);

        Assert.Equal("jobs", update.TableName);
        Assert.Equal("42", update.Key["job_id"].N);
        Assert.Equal(
            "SET #status = :status, #completed_at = :completed_at, #exit_code = :exit_code, #duration_seconds = :duration_seconds",
            update.UpdateExpression);
        Assert.Equal(
            "attribute_exists(#job_id) AND #instance_id = :instance_id AND NOT (#status IN (:terminal0, :terminal1, :terminal2, :terminal3, :terminal4, :terminal5, :terminal6, :terminal7))",
            update.ConditionExpression);
        Assert.Equal("2026-11-20T10:01:35Z", update.ExpressionAttributeValues[":completed_at"].S); // stored in UTC
        Assert.Equal("i-0a1b2c3d4e5f60718", update.ExpressionAttributeValues[":instance_id"].S);
        Assert.Equal("status", update.ExpressionAttributeNames["#status"]);
    }

    [Fact]
    public void Started_at_is_only_filled_in_when_missing()
    {
        var update = JobRecordRequests.Complete("jobs", Base with { StartedAt = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero) });

        Assert.Contains("#started_at = if_not_exists(#started_at, :started_at)", update.UpdateExpression, StringComparison.Ordinal);
        Assert.Equal("2026-11-20T10:00:00Z", update.ExpressionAttributeValues[":started_at"].S);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("exit 2", true)]
    public void Error_text_is_written_only_when_there_is_some(string? error, bool written)
    {
        var update = JobRecordRequests.Complete("jobs", Base with { Error = error, InterruptedBy = error });

        Assert.Equal(written, update.UpdateExpression.Contains("#error = :error", StringComparison.Ordinal));
        Assert.Equal(written, update.UpdateExpression.Contains("#interrupted_by = :interrupted_by", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2047, 2047)]
    [InlineData(2048, 2048)]
    [InlineData(2049, 2048)]
    [InlineData(100_000, 2048)]
    public void Long_error_text_keeps_its_first_2048_characters(int length, int stored)
    {
        var update = JobRecordRequests.Complete("jobs", Base with { Error = new string('x', length) });

        Assert.Equal(stored, update.ExpressionAttributeValues[":error"].S.Length);
    }

    private static readonly RecordJobStartedRequest StartRequest =
        new(42, "i-0a1b2c3d4e5f60718", new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Start_moves_this_instances_launched_or_claiming_record_to_running()
    {
        var update = JobRecordRequests.Start("jobs", StartRequest);

        Assert.Equal("SET #status = :running, #started_at = :started_at", update.UpdateExpression);
        Assert.Equal("#instance_id = :instance_id AND #status IN (:launched, :claiming)", update.ConditionExpression);
        Assert.Equal(
            ("running", "launched", "claiming", "i-0a1b2c3d4e5f60718", "2026-11-20T13:00:00Z"),
            (update.ExpressionAttributeValues[":running"].S, update.ExpressionAttributeValues[":launched"].S,
                update.ExpressionAttributeValues[":claiming"].S, update.ExpressionAttributeValues[":instance_id"].S,
                update.ExpressionAttributeValues[":started_at"].S));
        Assert.Equal(ReturnValue.ALL_NEW, update.ReturnValues);
    }

    [Fact]
    public void Legacy_retry_removes_only_an_empty_pool_and_keeps_the_condition()
    {
        var update = JobRecordRequests.Start("jobs", StartRequest);

        var legacy = LegacyEmptyPool.WithPoolRemoved(update);

        Assert.Equal("SET #status = :running, #started_at = :started_at REMOVE #legacy_pool", legacy.UpdateExpression);
        Assert.Equal(
            "(#instance_id = :instance_id AND #status IN (:launched, :claiming)) AND #legacy_pool = :legacy_empty_pool",
            legacy.ConditionExpression);
        Assert.Equal("pool", legacy.ExpressionAttributeNames["#legacy_pool"]);
        Assert.Equal(string.Empty, legacy.ExpressionAttributeValues[":legacy_empty_pool"].S);
        Assert.False(update.ExpressionAttributeNames.ContainsKey("#legacy_pool"));
    }

    [Fact]
    public void Legacy_retry_joins_an_existing_remove_clause()
    {
        var update = new Amazon.DynamoDBv2.Model.UpdateItemRequest
        {
            UpdateExpression = "SET #s = :s REMOVE #r",
            ConditionExpression = "#s = :x",
            ExpressionAttributeNames = new() { ["#s"] = "status", ["#r"] = "requeued_at" },
            ExpressionAttributeValues = new() { [":s"] = new() { S = "launched" }, [":x"] = new() { S = "requeued" } },
        };

        Assert.Equal("SET #s = :s REMOVE #r, #legacy_pool", LegacyEmptyPool.WithPoolRemoved(update).UpdateExpression);
    }
}
