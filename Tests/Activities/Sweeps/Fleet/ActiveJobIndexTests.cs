using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.Fleet;

/// <summary>The active jobs read once per sweep through the status index, its cache, and failing closed.</summary>
public class ActiveJobIndexTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = StrayInstancePolicy.Cutoff(Now, 360, 10);
    private static readonly Dictionary<string, string> Managed = new() { [FleetTags.Managed] = "true" };

    [Fact]
    public async Task Reader_holds_instances_with_a_job_in_any_active_status_and_nothing_else()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var dynamo = dynalite.CreateClient();
        await JobsTableSeed.PutJobsAsync(dynamo, table, [
            (1, "i-launched", "launched"), (2, "i-claiming", "claiming"), (3, "i-running", "running"),
            (4, "i-terminating", "terminating"), (5, "i-requeued", "requeued"),
            (6, "i-done", "completed"), (7, "i-failed", "failed"), (8, "i-no-status", null)]);

        var set = await new ActiveJobIndexReader(dynamo, new JobsTableOptions { TableName = table }).ReadAsync(null, CancellationToken.None);

        Assert.Null(set.Failure);
        Assert.Equal(5, set.Count);
        Assert.Equal(JobLookup.Active(3), set.Lookup("i-running"));
        Assert.Equal(JobLookup.Active(5), set.Lookup("i-requeued"));
        Assert.Equal(JobLookupOutcome.NoActiveJob, set.Lookup("i-done").Outcome);
        Assert.Equal(JobLookupOutcome.NoActiveJob, set.Lookup("i-no-status").Outcome);
    }

    [Fact]
    public async Task An_unreadable_index_keeps_every_candidate_of_the_scan()
    {
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-old1", launchTime: Cutoff.AddHours(-1), tags: Managed);
        ec2.AddInstance("i-old2", launchTime: Cutoff.AddHours(-2), tags: Managed);
        ec2.AddInstance("i-young", launchTime: Cutoff.AddMinutes(5), tags: Managed);
        var activities = await OrphanActivitiesAsync(ec2, "no-such-table", new CountingHttpClientFactory());

        var page = await new ActivityEnvironment().RunAsync(
            () => activities.ScanStrayInstancePageAsync(new StrayInstanceScanRequest(null, Cutoff, 1000, 51, 200)));

        Assert.Equal(0, page.OrphanCount);
        Assert.Empty(page.Orphans);
        Assert.Equal(2, page.KeptCounts.LookupFailed);
        Assert.All(page.Kept, k => Assert.Contains("active jobs read failed: ResourceNotFoundException", k.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cache_reuses_a_sweeps_set_rereads_after_it_expires_and_never_keeps_a_failed_read()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new ActiveJobSetCache(clock);
        var reads = 0;
        Task<ActiveJobSet> Read()
        {
            reads++;
            return Task.FromResult(ActiveJobSet.Of(new Dictionary<string, long?> { ["i-1"] = 1 }));
        }

        await cache.GetOrReadAsync("sweep-a", Read, CancellationToken.None);
        await cache.GetOrReadAsync("sweep-a", Read, CancellationToken.None);
        Assert.Equal(1, reads);
        await cache.GetOrReadAsync("sweep-b", Read, CancellationToken.None);
        Assert.Equal(2, reads);
        clock.Advance(ActiveJobSetCache.TimeToLive);
        await cache.GetOrReadAsync("sweep-a", Read, CancellationToken.None);
        Assert.Equal(3, reads);

        var failed = 0;
        Task<ActiveJobSet> Fail()
        {
            failed++;
            return Task.FromResult(ActiveJobSet.Failed("boom"));
        }

        Assert.Equal(JobLookupOutcome.Failed, (await cache.GetOrReadAsync("sweep-c", Fail, CancellationToken.None)).Lookup("i-1").Outcome);
        await cache.GetOrReadAsync("sweep-c", Fail, CancellationToken.None);
        Assert.Equal(2, failed);
        await cache.GetOrReadAsync(null, Read, CancellationToken.None);
        await cache.GetOrReadAsync(null, Read, CancellationToken.None);
        Assert.Equal(5, reads);
    }

    [Fact]
    public async Task Cache_holds_at_most_its_capacity_dropping_the_oldest()
    {
        var clock = new FakeTimeProvider(Now);
        using var cache = new ActiveJobSetCache(clock);
        var reads = 0;
        Task<ActiveJobSet> Read()
        {
            reads++;
            return Task.FromResult(ActiveJobSet.Of(new Dictionary<string, long?>()));
        }

        for (var i = 0; i <= ActiveJobSetCache.Capacity; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await cache.GetOrReadAsync($"sweep-{i}", Read, CancellationToken.None);
        }

        await cache.GetOrReadAsync($"sweep-{ActiveJobSetCache.Capacity}", Read, CancellationToken.None);
        Assert.Equal(ActiveJobSetCache.Capacity + 1, reads);
        await cache.GetOrReadAsync("sweep-0", Read, CancellationToken.None);
        Assert.Equal(ActiveJobSetCache.Capacity + 2, reads);
    }

    // At N instances a whole sweep (scan + terminate) reads DynamoDB through the status index
    // (1 MB pages per active status, cached between the sweep's pages) plus once per orphan at
    // the re-check. The fleet is the worst case for the old per-instance lookup: every instance
    // is old and unprotected, all but 20 busy, so that lookup made N + 20 Queries.
    [Theory]
    [InlineData(1000)]
    [InlineData(10000)]
    public async Task A_whole_sweep_reads_dynamodb_by_active_jobs_and_candidates_not_instances(int instances)
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        var busy = Enumerable.Range(20, instances - 20).ToList();
        using (var seed = dynalite.CreateClient())
        {
            await JobsTableSeed.PutJobsAsync(seed, table, busy.Select(i => ((long)i + 1, $"i-{i:D17}", (string?)"running")));
        }

        for (var i = 0; i < instances; i++)
        {
            ec2.AddInstance($"i-{i:D17}", launchTime: Cutoff.AddHours(-1), tags: Managed);
        }

        var counter = new CountingHttpClientFactory();
        var activities = await OrphanActivitiesAsync(ec2, table, counter);
        var env = new ActivityEnvironment();
        var plan = await activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, null, null, null));
        var progress = RunsFleet.Workflows.Sweeps.StrayInstances.StrayInstanceSweepContinuation.Start(plan);
        while (!progress.ScanDone)
        {
            var request = new StrayInstanceScanRequest(progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots);
            progress = progress.Add(await env.RunAsync(() => activities.ScanStrayInstancePageAsync(request)));
        }

        var terminated = 0;
        foreach (var batch in progress.Orphans.Chunk(plan.TerminateBatchSize))
        {
            terminated += (await env.RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)))).Terminated;
        }

        Assert.Equal((20L, 20, (long)busy.Count), (progress.OrphanCount, terminated, progress.KeptCounts.ActiveJob));
        // 1 MB of index entries holds ~10k active jobs: at most two pages per status here.
        Assert.InRange(counter.Count("Query"), ActiveJobIndexReader.ActiveStatuses.Count + 20, (2 * ActiveJobIndexReader.ActiveStatuses.Count) + 20);
        // And one BatchGetItem of the instance claims per terminate batch (20 orphans: one batch).
        Assert.Equal(1, counter.Count("BatchGetItem"));
        Assert.Equal(counter.Count("Query") + 1, counter.Total);
    }

    private async Task<StrayInstanceSweepActivities> OrphanActivitiesAsync(FakeEc2Server ec2, string table, CountingHttpClientFactory counter)
    {
        var pools = await dynalite.CreatePoolsTableAsync();
        var dynamo = new AmazonDynamoDBClient(
            AwsClients.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter, MaxErrorRetry = 0 });
        return new StrayInstanceSweepActivities(
            AwsClients.Ec2(ec2.ServiceUrl, maxErrorRetry: 0),
            dynamo,
            Options.Create(new StrayInstanceSweepOptions { PoolsTableName = pools }),
            Options.Create(new JobsTableOptions { TableName = table }),
            new RecordingMetricsSink(),
            NullLogger<StrayInstanceSweepActivities>.Instance);
    }
}
