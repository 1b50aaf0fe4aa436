using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Tests.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.OrphanedJobs;

/// <summary>The orphaned-job activities against dynalite (status-created_at-index), FakeEc2Server and FakeSsmServer.</summary>
public sealed class OrphanedJobSweepActivitiesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>, IAsyncLifetime
{
    private const string Prefix = "/runs-fleet/runners";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MarkTime = Now.AddMinutes(3);

    private readonly FakeEc2Server _ec2Server = new();
    private readonly FakeSsmServer _ssmServer = new();
    private readonly RecordingMetricsSink _metrics = new();
    private readonly ActivityEnvironment _env = new();
    private AmazonDynamoDBClient _dynamo = null!;
    private string _table = null!;

    public async Task InitializeAsync()
    {
        _dynamo = dynalite.CreateClient();
        _table = await dynalite.CreateJobsTableAsync();
    }

    public async Task DisposeAsync()
    {
        _dynamo.Dispose();
        await _ec2Server.DisposeAsync();
        await _ssmServer.DisposeAsync();
    }

    [Fact]
    public async Task A_page_judges_each_job_by_its_instance_and_age_and_writes_nothing()
    {
        _ec2Server.AddInstance(Id(1), Ec2States.Terminated);
        _ec2Server.AddInstance(Id(3), Ec2States.ShuttingDown);
        _ec2Server.AddInstance(Id(4), Ec2States.Running);
        _ec2Server.AddInstance(Id(5), Ec2States.Running);
        _ec2Server.AddInstance(Id(8), Ec2States.Terminated);
        _ec2Server.AddInstance(Id(11), Ec2States.Running);
        await PutJobAsync(1, "running", Id(1), Now.AddHours(-3));     // instance terminated
        await PutJobAsync(2, "running", Id(2), Now.AddHours(-3));     // instance unknown to EC2
        await PutJobAsync(3, "running", Id(3), Now.AddHours(-3));     // instance shutting down
        await PutJobAsync(4, "running", Id(4), Now.AddHours(-3));     // alive, within the runtime
        await PutJobAsync(5, "running", Id(5), Now.AddHours(-7));     // alive, past 360 + 30 min
        await PutJobAsync(6, "running", null, Now.AddHours(-3));      // no instance, within the runtime
        await PutJobAsync(7, "running", Id(7), Now.AddMinutes(-5));   // inside the grace period: not read
        await PutJobAsync(8, "completed", Id(8), Now.AddHours(-9));   // terminal: another partition
        await PutJobAsync(9, "claiming", Id(9), Now.AddHours(-3));    // a status not asked for
        await PutJobAsync(10, "running", Id(10), Now.AddMinutes(-119)); // instance unknown, but younger than 2 h
        await PutJobAsync(11, "running", Id(11), Now.AddMinutes(-30)); // young and alive: proof EC2 answers
        var before = await SnapshotAsync();

        var page = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(Scan("running")));

        Assert.Null(page.NextCursor);
        Assert.Equal(8, page.Read);
        Assert.Equal(7, page.InstancesChecked);
        Assert.Equal(5, page.InstancesKnown); // 2 and 10 unknown
        Assert.Equal(3, page.InstanceGone);
        Assert.Equal(1, page.OverAge);
        Assert.Equal(2, page.KeptActive);
        Assert.Equal(2, page.KeptYoung);
        Assert.Equal(
            [
                $"1 InstanceGone instance {Id(1)} is terminated (created 2026-11-28T09:00:00Z)",
                $"2 InstanceGone instance {Id(2)} not found by EC2 (created 2026-11-28T09:00:00Z)",
                $"3 InstanceGone instance {Id(3)} is shutting-down (created 2026-11-28T09:00:00Z)",
                "5 OverAge created 2026-11-28T05:00:00Z, before 2026-11-28T05:30:00Z (max runtime + slack)",
            ],
            page.Candidates.Select(c => $"{c.JobId} {c.Cause} {c.Reason}").Order(StringComparer.Ordinal));
        Assert.All(page.Candidates, c => Assert.Equal("running", c.Status));
        Assert.All(page.Candidates, c => Assert.Null(c.RequeuedAt));
        var lookup = Assert.Single(_ec2Server.RequestsFor("DescribeInstances"));
        Assert.Equal("instance-id", lookup.Form["Filter.1.Name"]);
        Assert.Equal(before, await SnapshotAsync()); // reading is a dry run by construction
    }

    [Fact]
    public async Task Pages_with_the_index_cursor_and_checks_ec2_at_most_200_ids_per_call()
    {
        for (var i = 1; i <= 450; i++)
        {
            await PutJobAsync(i, "running", Id(i), Now.AddHours(-3).AddSeconds(i));
        }

        var first = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(Scan("running", pageSize: 420, candidateLimit: 5)));
        var second = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(Scan("running", pageSize: 420, cursor: first.NextCursor)));

        Assert.NotNull(first.NextCursor);
        Assert.Equal("running", first.NextCursor!.Status);
        Assert.Equal(420, first.Read);
        Assert.Equal(420, first.InstanceGone);   // every one unknown to EC2
        Assert.Equal((420, 0), (first.InstancesChecked, first.InstancesKnown)); // the workflow then marks none
        Assert.Equal(5, first.Candidates.Count); // the rest only counted
        Assert.Equal(30, second.Read);
        Assert.Null(second.NextCursor);
        var calls = _ec2Server.RequestsFor("DescribeInstances");
        Assert.Equal(4, calls.Count); // 200 + 200 + 20, then 30
        Assert.All(calls, c => Assert.InRange(c.FormList("Filter.1.Value").Count, 1, 200));
    }

    [Fact]
    public async Task An_ec2_lookup_that_fails_fails_the_page_and_marks_nothing()
    {
        await PutJobAsync(1, "running", Id(1), Now.AddHours(-8));
        var before = await SnapshotAsync();
        _ec2Server.FailNext("DescribeInstances", "UnauthorizedOperation");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(Scan("running"))));

        Assert.Equal("UnauthorizedOperation", failure.ErrorType);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(_metrics.All);
    }

    [Fact]
    public async Task Marking_retires_jobs_on_the_status_read_and_deletes_parameters_of_gone_instances_only()
    {
        var gone = Enumerable.Range(1, 6).Select(i => Candidate(i, OrphanCause.InstanceGone)).ToList();
        var overAge = Candidate(7, OrphanCause.OverAge);
        var finishedMeanwhile = Candidate(8, OrphanCause.InstanceGone);
        var reassigned = Candidate(9, OrphanCause.InstanceGone);
        foreach (var job in gone.Append(overAge).Append(finishedMeanwhile))
        {
            await PutJobAsync(job.JobId, "running", job.InstanceId, Now.AddHours(-2));
            _ssmServer.Put($"{Prefix}/{job.InstanceId}/config", "c");
            _ssmServer.Put($"{Prefix}/{job.InstanceId}/credential", "t");
        }

        await PutJobAsync(finishedMeanwhile.JobId, "completed", finishedMeanwhile.InstanceId, Now.AddHours(-2));
        await PutJobAsync(reassigned.JobId, "running", Id(99), Now.AddHours(-2));
        var unchanged = new[] { await JobItems.GetAsync(_dynamo, _table, 8), await JobItems.GetAsync(_dynamo, _table, 9) };

        var result = await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest([.. gone, overAge, finishedMeanwhile, reassigned])));

        Assert.Equal(7, result.Marked);
        Assert.Equal([8L, 9], result.Outcomes.Where(o => o.Decision == OrphanedJobDecision.LeftAlone).Select(o => o.JobId));
        var marked = await JobItems.GetAsync(_dynamo, _table, 1);
        Assert.Equal(JobRecord.Orphaned, marked!["status"].S);
        Assert.Equal("2026-11-28T12:03:00Z", marked["completed_at"].S);
        Assert.Equal(gone[0].Reason, marked["orphan_reason"].S);
        Assert.False(marked.ContainsKey("pool")); // REMOVEd in the same write, as runs-fleet's MarkJobOrphaned does
        Assert.Equal(JobRecord.Orphaned, (await JobItems.GetAsync(_dynamo, _table, 7))!["status"].S);
        Assert.Equal(JobItems.Render(unchanged[0]), JobItems.Render(await JobItems.GetAsync(_dynamo, _table, 8)));
        Assert.Equal(JobItems.Render(unchanged[1]), JobItems.Render(await JobItems.GetAsync(_dynamo, _table, 9)));
        Assert.Equal(12, result.ParametersDeleted);
        Assert.Equal(0, result.ParametersAlreadyGone);
        // The over-age job's instance may be alive with a newer job: its parameters stay; so do
        // those of the job that finished meanwhile (its own termination handles them).
        Assert.Equal(
            new[] { overAge.InstanceId, finishedMeanwhile.InstanceId }.SelectMany(id => new[] { $"{Prefix}/{id}/config", $"{Prefix}/{id}/credential" }).Order(StringComparer.Ordinal),
            _ssmServer.Names);
        var deletes = _ssmServer.RequestsFor("DeleteParameters");
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.InRange(d.Json.GetProperty("Names").GetArrayLength(), 1, RunnerParameterBatchDelete.MaxNamesPerRequest));
        Assert.Equal(7, _metrics.Single(OrphanedJobSweepActivities.MarkedMetric).Value);
    }

    [Fact]
    public async Task Marking_again_after_a_retry_leaves_the_orphaned_record_alone()
    {
        var job = Candidate(1, OrphanCause.InstanceGone);
        await PutJobAsync(1, "running", job.InstanceId, Now.AddHours(-2));
        await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest([job])));
        var first = await JobItems.GetAsync(_dynamo, _table, 1);

        var again = await _env.RunAsync(() => Activities(MarkTime.AddHours(1)).MarkOrphanedJobsAsync(new OrphanedJobMarkRequest([job])));

        Assert.Equal(OrphanedJobDecision.LeftAlone, Assert.Single(again.Outcomes).Decision);
        Assert.Equal(JobItems.Render(first), JobItems.Render(await JobItems.GetAsync(_dynamo, _table, 1)));
    }

    [Fact]
    public async Task The_owning_instance_s_late_report_overwrites_an_orphaned_record_and_another_s_does_not()
    {
        // runs-fleet keeps orphaned out of IsTerminal: the mark may come from a lookup fault, and
        // MarkJobComplete's only condition is the owning instance (pkg/db/jobs.go).
        var job = Candidate(1, OrphanCause.InstanceGone);
        await PutJobAsync(1, "running", job.InstanceId, Now.AddHours(-2));
        await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest([job])));
        var orphaned = await JobItems.GetAsync(_dynamo, _table, 1);
        var records = new JobRecordActivities(_dynamo, Options.Create(new JobsTableOptions { TableName = _table }), NullLogger<JobRecordActivities>.Instance);

        var stranger = await _env.RunAsync(() => records.CompleteJobAsync(
            new CompleteJobRequest
            {
                JobId = 1,
                InstanceId = "i-0ffffffffffffffff",
                Status = "success",
                CompletedAt = Now,
                StartedAt = Now.AddHours(-2),
                ExitCode = 0,
                DurationSeconds = 7200,
                Error = null,
                InterruptedBy = null,
            }));
        Assert.Equal(CompleteJobOutcome.OwnedByOtherInstance, stranger.Outcome);
        Assert.Equal(JobItems.Render(orphaned), JobItems.Render(await JobItems.GetAsync(_dynamo, _table, 1)));

        var owner = await _env.RunAsync(() => records.CompleteJobAsync(
            new CompleteJobRequest
            {
                JobId = 1,
                InstanceId = job.InstanceId!,
                Status = "success",
                CompletedAt = Now,
                StartedAt = Now.AddHours(-2),
                ExitCode = 0,
                DurationSeconds = 7200,
                Error = null,
                InterruptedBy = null,
            }));

        Assert.Equal((CompleteJobOutcome.Completed, "success"), (owner.Outcome, owner.RecordedStatus));
        Assert.Equal("success", (await JobItems.GetAsync(_dynamo, _table, 1))!["status"].S);
    }

    [Theory]
    [InlineData("running,completed")]
    [InlineData("orphaned")]
    [InlineData("running,terminating")]
    public async Task A_status_no_job_may_be_orphaned_from_fails_the_plan(string statuses)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => Activities(options: new OrphanedJobSweepOptions { Statuses = statuses }).PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(Now, null, null, null)));

        Assert.Equal("InvalidInput", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.StartsWith("RUNS_FLEET_ORPHANED_JOBS_STATUSES must list only statuses a job may be orphaned from", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plan_applies_careful_overrides_and_fixes_the_cutoffs()
    {
        var plan = await Activities(options: new OrphanedJobSweepOptions { Statuses = "running,requeued,running", GraceMinutes = 15, ThresholdMinutes = 180 })
            .PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(Now, 400, 45, 7));

        Assert.Equal(["running", "requeued"], plan.Statuses);
        Assert.Equal("2026-11-28T04:35:00Z", plan.RuntimeCutoff); // 400 + 45 min
        Assert.Equal("2026-11-28T11:45:00Z", plan.CreatedBefore);
        Assert.Equal("2026-11-28T09:00:00Z", plan.ThresholdCutoff);
        Assert.Equal((400, 45, 7), (plan.MaxRuntimeMinutes, plan.SlackMinutes, plan.MaxJobs));
    }

    [Theory]
    [InlineData(359, null, null, "max_runtime_minutes=359 is shorter than the configured 360 (RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES)")]
    [InlineData(1, null, null, "max_runtime_minutes=1 is shorter than the configured 360 (RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES)")]
    [InlineData(null, 29, null, "slack_minutes=29 is shorter than the configured 30 (RUNS_FLEET_ORPHANED_JOBS_SLACK_MINUTES)")]
    [InlineData(null, null, 101, "max_jobs=101 is above the configured 100 (RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS)")]
    public async Task An_override_less_careful_than_the_configuration_fails_the_plan_naming_it(int? runtime, int? slack, int? cap, string reason)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => Activities().PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(Now, runtime, slack, cap)));

        Assert.Equal(("InvalidInput", true), (failure.ErrorType, failure.NonRetryable));
        Assert.StartsWith("Override refused: " + reason + ": a trigger may only ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overrides_equal_to_the_configuration_are_accepted()
    {
        var plan = await Activities().PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(Now, 360, 30, 100));

        Assert.Equal((360, 30, 100), (plan.MaxRuntimeMinutes, plan.SlackMinutes, plan.MaxJobs));
    }

    private static string Id(int i) => "i-" + i.ToString("x17", CultureInfo.InvariantCulture);

    private static OrphanedJobCandidate Candidate(int jobId, OrphanCause cause) =>
        new(jobId, Id(jobId), "running", cause, cause == OrphanCause.InstanceGone ? $"instance {Id(jobId)} is terminated" : "created long ago");

    internal static OrphanedJobScanRequest Scan(string status, int pageSize = 200, ActiveJobCursor? cursor = null, int candidateLimit = 101) =>
        new(status, cursor, pageSize, JobRecord.FormatTimestamp(Now.AddMinutes(-10)), OrphanedJobRules.RuntimeCutoff(Now, 360, 30), candidateLimit)
        {
            ThresholdCutoff = OrphanedJobRules.ThresholdCutoff(Now, 120),
        };

    private OrphanedJobSweepActivities Activities(DateTimeOffset? markTime = null, OrphanedJobSweepOptions? options = null) => new(
        _dynamo,
        AwsClients.Ec2(_ec2Server.ServiceUrl, maxErrorRetry: 0),
        AwsClients.Ssm(_ssmServer.ServiceUrl, maxErrorRetry: 0),
        Options.Create(new JobsTableOptions { TableName = _table }),
        Options.Create(options ?? new OrphanedJobSweepOptions()),
        Options.Create(new RunnerParameterOptions { Prefix = Prefix }),
        _metrics,
        new FakeTimeProvider(markTime ?? MarkTime),
        NullLogger<OrphanedJobSweepActivities>.Instance);

    private async Task PutJobAsync(long jobId, string status, string? instanceId, DateTimeOffset createdAt)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["job_id"] = new() { N = jobId.ToString(CultureInfo.InvariantCulture) },
            ["status"] = new() { S = status },
            ["created_at"] = new() { S = JobRecord.FormatTimestamp(createdAt) },
            ["pool"] = new() { S = "linux-x64" },
        };
        if (instanceId is not null)
        {
            item["instance_id"] = new() { S = instanceId };
        }

        await _dynamo.PutItemAsync(_table, item);
    }

    private async Task<string> SnapshotAsync()
    {
        var items = (await _dynamo.ScanAsync(new ScanRequest { TableName = _table, ConsistentRead = true })).Items;
        return string.Join("\n", items.OrderBy(i => long.Parse(i["job_id"].N, CultureInfo.InvariantCulture)).Select(JobItems.Render));
    }
}
