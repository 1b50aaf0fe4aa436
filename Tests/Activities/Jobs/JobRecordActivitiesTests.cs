using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>JobRecordActivities against dynalite: real conditional updates on a real table shape.</summary>
public sealed class JobRecordActivitiesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>, IDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Completed = new(2026, 11, 20, 10, 6, 52, TimeSpan.Zero);

    private readonly AmazonDynamoDBClient _db = dynalite.CreateClient();
    private readonly ActivityEnvironment _env = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task First_completion_marks_the_record_and_reports_its_pool()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1001, JobItems.Instance, "running");

        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(1001, "success")));

        Assert.Equal(new CompleteJobResult(CompleteJobOutcome.Completed, "linux-x64", "success", JobItems.Instance), result);
        var item = await JobItems.GetAsync(_db, table, 1001);
        Assert.NotNull(item);
        Assert.Equal("success", item["status"].S);
        Assert.Equal("2026-11-20T10:06:52Z", item["completed_at"].S);
        Assert.Equal("2026-11-20T10:00:00Z", item["started_at"].S);
        Assert.Equal("0", item["exit_code"].N);
        Assert.Equal("412", item["duration_seconds"].N);
        Assert.False(item.ContainsKey("error"));
        Assert.Equal(JobItems.Instance, item["instance_id"].S);
    }

    [Fact]
    public async Task Duplicate_completion_is_already_terminal_and_leaves_the_item_byte_for_byte_unchanged()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1002, JobItems.Instance, "running");
        await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(1002, "success")));
        var afterFirst = JobItems.Render(await JobItems.GetAsync(_db, table, 1002));

        // A late report with different values must not overwrite anything.
        var late = Request(1002, "failure") with { ExitCode = 3, DurationSeconds = 999, CompletedAt = Completed.AddHours(1), Error = "late" };
        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(late));

        Assert.Equal(CompleteJobOutcome.AlreadyTerminal, result.Outcome);
        Assert.Equal("success", result.RecordedStatus);
        Assert.Equal("linux-x64", result.Pool);
        Assert.Equal(afterFirst, JobItems.Render(await JobItems.GetAsync(_db, table, 1002)));
    }

    [Fact]
    public async Task Record_of_another_instance_is_left_alone()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1003, JobItems.OtherInstance, "running", pool: "arm64");
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 1003));

        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(1003, "failure")));

        Assert.Equal(new CompleteJobResult(CompleteJobOutcome.OwnedByOtherInstance, "arm64", "running", JobItems.OtherInstance), result);
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 1003)));
    }

    [Fact]
    public async Task Outcome_of_a_refused_completion_is_logged_with_job_instance_and_owner()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1008, JobItems.OtherInstance, "running");
        using var logs = new LogCapture();
        var activities = new JobRecordActivities(_db, Options.Create(new JobsTableOptions { TableName = table }), logs.Logger<JobRecordActivities>());

        await _env.RunAsync(() => activities.CompleteJobAsync(Request(1008, "success")));

        var record = logs.Single(LogLevel.Information, "not completed");
        Assert.Equal("1008", record.GetStructuredStateValue("JobId"));
        Assert.Equal(JobItems.Instance, record.GetStructuredStateValue("InstanceId"));
        Assert.Equal("OwnedByOtherInstance", record.GetStructuredStateValue("Outcome"));
        Assert.Equal(JobItems.OtherInstance, record.GetStructuredStateValue("RecordInstanceId"));
    }

    [Fact]
    public async Task Missing_record_is_not_found_and_not_created()
    {
        var table = await dynalite.CreateJobsTableAsync();

        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(1004, "timeout")));

        Assert.Equal(new CompleteJobResult(CompleteJobOutcome.NotFound, null, null, null), result);
        Assert.Null(await JobItems.GetAsync(_db, table, 1004));
    }

    [Fact]
    public async Task Completion_keeps_a_started_at_already_recorded_and_writes_error_and_interrupted_by()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1005, JobItems.Instance, "running", startedAt: "2026-11-20T09:59:30Z");

        var request = Request(1005, "interrupted") with { ExitCode = -1, Error = "runner lost", InterruptedBy = "spot-interruption", DurationSeconds = 61.5 };
        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(request));

        Assert.Equal(CompleteJobOutcome.Completed, result.Outcome);
        var item = await JobItems.GetAsync(_db, table, 1005);
        Assert.NotNull(item);
        Assert.Equal("interrupted", item["status"].S);
        Assert.Equal("2026-11-20T09:59:30Z", item["started_at"].S);
        Assert.Equal("-1", item["exit_code"].N);
        Assert.Equal("61.5", item["duration_seconds"].N);
        Assert.Equal("runner lost", item["error"].S);
        Assert.Equal("spot-interruption", item["interrupted_by"].S);
    }

    [Fact]
    public async Task Completion_without_started_at_does_not_invent_one()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 1006, JobItems.Instance, "running", pool: null);

        var result = await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(1006, "failure") with { StartedAt = null }));

        Assert.Equal(new CompleteJobResult(CompleteJobOutcome.Completed, null, "failure", JobItems.Instance), result);
        var item = await JobItems.GetAsync(_db, table, 1006);
        Assert.NotNull(item);
        Assert.False(item.ContainsKey("started_at"));
    }

    [Fact]
    public async Task Missing_table_surfaces_as_a_non_retryable_failure_typed_with_the_aws_code()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities("no-such-table").CompleteJobAsync(Request(1007, "success"))));

        Assert.Equal("ResourceNotFoundException", failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    public static TheoryData<string, CompleteJobRequest> InvalidCompletions => new()
    {
        { "non-terminal status", Request(1, "running") },
        { "orphaned is a sweep's mark, not a job end", Request(1, "orphaned") },
        { "zero job id", Request(0, "success") },
        { "negative job id", Request(-5, "success") },
        { "malformed instance id", Request(1, "success") with { InstanceId = "i-123" } },
        { "wildcard instance id", Request(1, "success") with { InstanceId = "*" } },
        { "negative duration", Request(1, "success") with { DurationSeconds = -1 } },
        { "NaN duration", Request(1, "success") with { DurationSeconds = double.NaN } },
        { "started after completed", Request(1, "success") with { StartedAt = Completed.AddSeconds(1) } },
    };

    [Theory]
    [MemberData(nameof(InvalidCompletions))]
    public async Task Invalid_completion_requests_fail_non_retryable_as_invalid_input(string why, CompleteJobRequest request)
    {
        // The table does not exist: reaching DynamoDB would fail with another type.
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities("no-such-table").CompleteJobAsync(request)));

        Assert.True(failure.ErrorType == "InvalidInput", $"{why}: got {failure.ErrorType}");
        Assert.True(failure.NonRetryable, why);
    }

    [Fact]
    public async Task Start_is_recorded_once_and_a_second_report_changes_nothing()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 2001, JobItems.Instance, "launched");

        var first = await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2001, JobItems.Instance, Started)));
        var afterFirst = JobItems.Render(await JobItems.GetAsync(_db, table, 2001));
        var second = await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2001, JobItems.Instance, Started.AddMinutes(5))));

        var created = new DateTimeOffset(2026, 11, 20, 9, 59, 0, TimeSpan.Zero);
        Assert.Equal(
            new RecordJobStartedResult(
                RecordJobStartedOutcome.Recorded, "linux-x64", "running", "2026-11-20T10:00:00Z", created),
            first);
        Assert.Equal(new RecordJobStartedResult(RecordJobStartedOutcome.AlreadyRecorded, "linux-x64", "running", "2026-11-20T10:00:00Z"), second);
        Assert.Equal(afterFirst, JobItems.Render(await JobItems.GetAsync(_db, table, 2001)));
        Assert.Contains("started_at=S:2026-11-20T10:00:00Z", afterFirst, StringComparison.Ordinal);
        Assert.Contains("status=S:running", afterFirst, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_of_a_finished_job_is_not_recorded()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 2002, JobItems.Instance, "success");
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 2002));

        var result = await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2002, JobItems.Instance, Started)));

        Assert.Equal(new RecordJobStartedResult(RecordJobStartedOutcome.AlreadyTerminal, "linux-x64", "success", null), result);
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 2002)));
    }

    [Fact]
    public async Task Start_on_another_instances_record_or_without_a_record_changes_nothing()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 2003, JobItems.OtherInstance, "running");
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 2003));

        var other = await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2003, JobItems.Instance, Started)));
        var missing = await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2004, JobItems.Instance, Started)));

        Assert.Equal(RecordJobStartedOutcome.OwnedByOtherInstance, other.Outcome);
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 2003)));
        Assert.Equal(new RecordJobStartedResult(RecordJobStartedOutcome.NotFound, null, null, null), missing);
        Assert.Null(await JobItems.GetAsync(_db, table, 2004));
    }

    [Fact]
    public async Task Completion_after_a_recorded_start_keeps_the_reported_start()
    {
        var table = await dynalite.CreateJobsTableAsync();
        await JobItems.PutAsync(_db, table, 2005, JobItems.Instance, "launched");
        await _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new(2005, JobItems.Instance, Started.AddSeconds(-30))));

        await _env.RunAsync(() => Activities(table).CompleteJobAsync(Request(2005, "success")));

        var item = await JobItems.GetAsync(_db, table, 2005);
        Assert.NotNull(item);
        Assert.Equal("2026-11-20T09:59:30Z", item["started_at"].S);
        Assert.Equal("success", item["status"].S);
    }

    [Fact]
    public async Task Invalid_start_request_fails_non_retryable_as_invalid_input()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities("no-such-table").RecordJobStartedAsync(new(2006, "i-../x", Started))));

        Assert.Equal("InvalidInput", failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    private JobRecordActivities Activities(string table) =>
        new(_db, Options.Create(new JobsTableOptions { TableName = table }), NullLogger<JobRecordActivities>.Instance);

    private static CompleteJobRequest Request(long jobId, string status) =>
        new CompleteJobRequest
        {
            JobId = jobId,
            InstanceId = JobItems.Instance,
            Status = status,
            CompletedAt = Completed,
            StartedAt = Started,
            ExitCode = 0,
            DurationSeconds = 412,
            Error = null,
            InterruptedBy = null,
        };
}
