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

/// <summary>
/// OrphanedJobSweep on records as runs-fleet's Go code writes them (RunsFleetSeed), on the strict
/// dynalite (an empty index key refused as by DynamoDB), with every DynamoDB request counted.
/// </summary>
public sealed class OrphanedJobRunsFleetShapesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeEc2Server _ec2Server = new();
    private readonly FakeSsmServer _ssmServer = new();
    private readonly ActivityEnvironment _env = new();
    private AmazonDynamoDBClient _raw = null!;
    private IAmazonDynamoDB _dynamo = null!;
    private CountingDynamoDb _counter = null!;
    private string _table = null!;

    public async Task InitializeAsync()
    {
        _raw = dynalite.CreateClient();
        (_dynamo, _counter) = CountingDynamoDb.Wrap(_raw);
        _table = await dynalite.CreateJobsTableAsync();
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _ec2Server.DisposeAsync();
        await _ssmServer.DisposeAsync();
    }

    [Fact]
    public async Task Every_runs_fleet_status_is_judged_as_runs_fleet_does_and_terminating_is_never_read()
    {
        // Old records whose instances are all gone (terminated), plus one live instance for evidence.
        _ec2Server.AddInstance(Id(90), Ec2States.Running);
        foreach (var i in new[] { 1, 3, 4, 5, 6, 7 })
        {
            _ec2Server.AddInstance(Id(i), Ec2States.Terminated);
        }

        var old = Now.AddHours(-5);
        await RunsFleetSeed.PutAsync(
            _raw,
            _table,
            RunsFleetSeed.Launched(1, Id(1), old),                                                   // cold start, no pool
            RunsFleetSeed.Claiming(2, old.AddSeconds(2)),                                            // no instance: by age only
            RunsFleetSeed.Running(RunsFleetSeed.Launched(3, Id(3), old.AddSeconds(3), pool: "linux"), old),
            RunsFleetSeed.Requeued(RunsFleetSeed.Launched(4, Id(4), old.AddSeconds(4)), Now.AddHours(-3)),
            RunsFleetSeed.Requeued(RunsFleetSeed.Launched(5, Id(5), old.AddSeconds(5)), Now.AddMinutes(-30)), // re-dispatched lately
            RunsFleetSeed.Terminating(RunsFleetSeed.Running(RunsFleetSeed.Launched(6, Id(6), old.AddSeconds(6)), old)),
            RunsFleetSeed.Orphaned(RunsFleetSeed.Running(RunsFleetSeed.Launched(7, Id(7), old.AddSeconds(7)), old), Now.AddHours(-1)),
            RunsFleetSeed.Launched(90, Id(90), Now.AddMinutes(-20)));
        var untouched = new Dictionary<long, string>();
        foreach (var id in new[] { 2L, 5, 6, 7 })
        {
            untouched[id] = JobItems.Render(await GetAsync(id));
        }

        var plan = await Activities().PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(Now, null, null, null));
        var pages = new List<OrphanedJobScanPage>();
        foreach (var status in plan.Statuses)
        {
            var request = new OrphanedJobScanRequest(status, null, plan.PageSize, plan.CreatedBefore, plan.RuntimeCutoff, 101)
            {
                ThresholdCutoff = plan.ThresholdCutoff,
            };
            pages.Add(await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(request)));
        }

        Assert.Equal(["launched", "claiming", "running", "requeued"], plan.Statuses);
        Assert.Equal(4, _counter.Count("Query"));          // one per status; terminating never read
        Assert.Equal(1, _counter.Count("BatchGetItem"));   // requeued_at of the two requeued jobs, in one call
        Assert.Equal(2, _counter.BatchGetSizes.Single());
        var candidates = pages.SelectMany(p => p.Candidates).ToList();
        Assert.Equal([1L, 3, 4], candidates.Select(c => c.JobId).Order());
        Assert.Equal(Now.AddHours(-3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), candidates.Single(c => c.JobId == 4).RequeuedAt);
        Assert.Equal(2, pages.Sum(p => p.KeptYoung));      // 90 (launched 20 min ago) and 5 (requeued 30 min ago)
        Assert.Equal(1, pages.Sum(p => p.KeptActive));     // 2: claiming, no instance, 5 h < 6 h 30
        Assert.True(pages.Sum(p => p.InstancesKnown) > 0);

        var result = await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(candidates)));

        Assert.Equal(3, result.Marked);
        foreach (var id in new[] { 1L, 3, 4 })
        {
            Assert.Equal("orphaned", (await GetAsync(id))["status"].S);
        }

        Assert.False((await GetAsync(3)).ContainsKey("pool"));
        foreach (var (id, rendered) in untouched)
        {
            Assert.Equal(rendered, JobItems.Render(await GetAsync(id)));
        }
    }

    [Fact]
    public async Task A_legacy_record_with_an_empty_pool_is_marked_where_the_old_write_was_refused()
    {
        await RunsFleetSeed.PutAsync(
            _raw, _table, RunsFleetSeed.LegacyEmptyPool(RunsFleetSeed.Running(RunsFleetSeed.Launched(7, Id(7), Now.AddHours(-8)), Now.AddHours(-8))));
        var job = new OrphanedJobCandidate(7, Id(7), "running", OrphanCause.InstanceGone, $"instance {Id(7)} not found by EC2");

        // The write before this change (SET only): DynamoDB refuses it for pool-status-index, on every run.
        var oldWrite = OrphanedJobRequests.Mark(_table, job, Now);
        oldWrite.UpdateExpression = "SET #status = :orphaned, #completed_at = :completed_at, #orphan_reason = :orphan_reason";
        oldWrite.ExpressionAttributeNames.Remove("#pool");
        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _raw.UpdateItemAsync(oldWrite));
        Assert.Contains("pool-status-index", refused.Message, StringComparison.Ordinal);
        Assert.Equal("running", (await GetAsync(7))["status"].S);

        var result = await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest([job])));

        Assert.Equal(OrphanedJobDecision.Marked, Assert.Single(result.Outcomes).Decision);
        var marked = await GetAsync(7);
        Assert.Equal("orphaned", marked["status"].S);
        Assert.False(marked.ContainsKey("pool"));
        Assert.Equal(1, _counter.Count("UpdateItem"));
    }

    [Fact]
    public async Task Requeued_at_is_read_one_batch_get_per_100_jobs_and_only_for_those_created_past_the_threshold()
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        for (var i = 1; i <= 150; i++)
        {
            // created 9 h ago (distinct sort keys); odd ones requeued 3 h ago (stale), even ones a minute ago.
            var launched = RunsFleetSeed.Launched(i, Id(i), Now.AddHours(-9).AddSeconds(i));
            items.Add(RunsFleetSeed.Requeued(launched, i % 2 == 1 ? Now.AddHours(-3) : Now.AddMinutes(-1)));
        }

        items.Add(RunsFleetSeed.Requeued(RunsFleetSeed.Launched(151, Id(151), Now.AddMinutes(-50)), Now.AddMinutes(-5))); // created lately: no read
        var noRequeuedAt = RunsFleetSeed.Requeued(RunsFleetSeed.Launched(152, Id(152), Now.AddHours(-9).AddSeconds(152)), Now);
        noRequeuedAt.Remove("requeued_at"); // a record without it is left alone
        items.Add(noRequeuedAt);
        await RunsFleetSeed.PutAsync(_raw, _table, [.. items]);

        var page = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(OrphanedJobSweepActivitiesTests.Scan("requeued", pageSize: 1000)));

        Assert.Equal(1, _counter.Count("Query"));
        Assert.Equal([100, 51], _counter.BatchGetSizes);   // 151 created before the threshold, 100 keys per call
        Assert.Equal(1, _ec2Server.Count("DescribeInstances")); // 152 ids, one call
        Assert.Equal((152, 75, 76, 1), (page.Read, page.InstanceGone, page.KeptYoung, page.KeptUnreadable));
        Assert.All(page.Candidates, c => Assert.Equal(1, c.JobId % 2));
    }

    [Fact]
    public async Task Throttled_requeued_reads_are_asked_again_and_a_read_that_stays_throttled_fails_the_page()
    {
        await RunsFleetSeed.PutAsync(
            _raw, _table, RunsFleetSeed.Requeued(RunsFleetSeed.Launched(1, Id(1), Now.AddHours(-9)), Now.AddHours(-3)));
        _counter.HoldBackReads((call, _) => call == 1);

        var page = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(OrphanedJobSweepActivitiesTests.Scan("requeued")));

        Assert.Equal(1, page.InstanceGone);
        Assert.Equal(2, _counter.Count("BatchGetItem"));

        _counter.HoldBackReads((_, _) => true);
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(OrphanedJobSweepActivitiesTests.Scan("requeued"))));
        Assert.False(failure.NonRetryable); // Temporal retries the page; nothing is judged without requeued_at
    }

    [Fact]
    public async Task A_requeued_job_re_dispatched_again_since_it_was_read_is_left_alone()
    {
        var read = RunsFleetSeed.Requeued(RunsFleetSeed.Launched(1, Id(1), Now.AddHours(-9)), Now.AddHours(-3));
        await RunsFleetSeed.PutAsync(_raw, _table, read);
        var page = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(OrphanedJobSweepActivitiesTests.Scan("requeued")));
        // claimed, failed and requeued again between the read and the mark: same status, newer requeued_at.
        await RunsFleetSeed.PutAsync(_raw, _table, RunsFleetSeed.Requeued(read, Now.AddMinutes(-1)));
        var before = JobItems.Render((await GetAsync(1)));

        var result = await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(page.Candidates)));

        Assert.Equal(OrphanedJobDecision.LeftAlone, Assert.Single(result.Outcomes).Decision);
        Assert.Equal(before, JobItems.Render((await GetAsync(1))));
    }

    [Fact]
    public async Task A_terminating_job_is_neither_read_nor_marked_even_from_a_plan_made_before()
    {
        await RunsFleetSeed.PutAsync(
            _raw, _table, RunsFleetSeed.Terminating(RunsFleetSeed.Running(RunsFleetSeed.Launched(6, Id(6), Now.AddHours(-9)), Now.AddHours(-9))));
        var before = JobItems.Render((await GetAsync(6)));

        var page = await _env.RunAsync(() => Activities().ScanOrphanedJobPageAsync(OrphanedJobSweepActivitiesTests.Scan("terminating")));
        var result = await _env.RunAsync(() => Activities().MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(
            [new OrphanedJobCandidate(6, Id(6), "terminating", OrphanCause.InstanceGone, "from an older plan")])));

        Assert.Equal((0, 0, (ActiveJobCursor?)null), (page.Read, page.Candidates.Count, page.NextCursor));
        Assert.Equal(0, _counter.Count("Query"));
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal((OrphanedJobDecision.LeftAlone, "status terminating is never orphaned; left alone"), (outcome.Decision, outcome.Reason));
        Assert.Equal(0, _counter.Count("UpdateItem"));
        Assert.Equal(before, JobItems.Render((await GetAsync(6))));
    }

    private static string Id(int i) => "i-" + i.ToString("x17", CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, AttributeValue>> GetAsync(long jobId) =>
        await JobItems.GetAsync(_raw, _table, jobId) ?? throw new InvalidOperationException($"job {jobId} is gone");

    private OrphanedJobSweepActivities Activities() => new(
        _dynamo,
        AwsClients.Ec2(_ec2Server.ServiceUrl, maxErrorRetry: 0),
        AwsClients.Ssm(_ssmServer.ServiceUrl, maxErrorRetry: 0),
        Options.Create(new JobsTableOptions { TableName = _table }),
        Options.Create(new OrphanedJobSweepOptions()),
        Options.Create(new RunnerParameterOptions()),
        new RecordingMetricsSink(),
        new FakeTimeProvider(Now),
        NullLogger<OrphanedJobSweepActivities>.Instance);
}
