using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

public class StrayInstanceSweepActivitiesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = StrayInstancePolicy.Cutoff(Now, 360, 10);
    private static readonly Dictionary<string, string> Managed = new() { [FleetTags.Managed] = "true" };

    [Fact]
    public async Task Scan_page_judges_every_listed_instance_and_looks_up_only_candidates()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-young", launchTime: Cutoff.AddMinutes(5), tags: Managed);
        ec2.AddInstance("i-at-cutoff", launchTime: Cutoff, tags: Managed);
        ec2.AddInstance("i-orphan", launchTime: Cutoff.AddMinutes(-1), tags: Managed);
        ec2.AddInstance("i-busy", state: Ec2States.Pending, launchTime: Cutoff.AddHours(-5), tags: Managed);
        ec2.AddInstance("i-protected", launchTime: Cutoff.AddHours(-5), tags: new Dictionary<string, string>(Managed) { [FleetTags.Protected] = "true" });
        ec2.AddInstance("i-undated", launchTime: null, tags: Managed);
        ec2.AddInstance("i-ambiguous", launchTime: Cutoff.AddHours(-5), tags: Managed);
        ec2.AddInstance("i-stopped", state: Ec2States.Stopped, launchTime: Cutoff.AddHours(-5), tags: Managed);
        ec2.AddInstance("i-unmanaged", launchTime: Cutoff.AddHours(-5));
        ec2.AddInstance("i-managed-false", launchTime: Cutoff.AddHours(-5), tags: new Dictionary<string, string> { [FleetTags.Managed] = "false" });
        using var dynamo = dynalite.CreateClient();
        await JobsTableSeed.PutJobsAsync(dynamo, table, [(1, "i-busy", "running"), (2, "i-orphan", "completed"), (3, "i-ambiguous", null)]);
        var counter = new CountingHttpClientFactory();
        var activities = await ActivitiesAsync(ec2, table, counter);

        var page = await new ActivityEnvironment().RunAsync(
            () => activities.ScanStrayInstancePageAsync(new StrayInstanceScanRequest(null, Cutoff, 1000, 51, 200)));

        Assert.Null(page.NextToken);
        Assert.Equal(7, page.Scanned);
        Assert.Equal(2, page.Young);
        // A record without a status is not in the status index: the scan calls its instance an
        // orphan and the re-check before terminating (instance-id-index) keeps it (see the terminate test).
        Assert.Equal(2, page.OrphanCount);
        Assert.Equal(["i-ambiguous", "i-orphan"], page.Orphans.Select(o => o.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["i-busy=ActiveJob", "i-protected=Protected", "i-undated=MissingLaunchTime"],
            page.Kept.Select(k => $"{k.InstanceId}={k.Decision}").Order(StringComparer.Ordinal));
        Assert.Equal(new StrayInstanceKeptCounts(MissingLaunchTime: 1, Protected: 1, ActiveJob: 1, LookupFailed: 0), page.KeptCounts);
        Assert.Equal(1, ec2.Count("DescribeInstances"));
        // One Query per active status of the status index, whatever the number of candidates.
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count, counter.Count("Query"));
        var filters = ec2.RequestsFor("DescribeInstances")[0].Form;
        Assert.Contains(filters, f => f.Value == "tag:runs-fleet:managed");
        Assert.Contains(filters, f => f.Value == "instance-state-name");
    }

    [Fact]
    public async Task Scanning_3000_instances_takes_3_pages_and_one_active_jobs_read()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        for (var i = 0; i < 3000; i++)
        {
            // Every 300th instance is old and has no job: 10 orphans spread over the pages.
            ec2.AddInstance($"i-{i:D17}", launchTime: i % 300 == 0 ? Cutoff.AddHours(-1) : Cutoff.AddMinutes(30), tags: Managed);
        }

        for (var i = 0; i < 150; i++)
        {
            ec2.AddInstance($"i-x{i:D16}", launchTime: Cutoff.AddHours(-1));
        }

        var counter = new CountingHttpClientFactory();
        var activities = await ActivitiesAsync(ec2, table, counter);
        var env = new ActivityEnvironment();
        string? token = null;
        int pages = 0, scanned = 0, orphans = 0, collected = 0;
        do
        {
            var page = await env.RunAsync(() => activities.ScanStrayInstancePageAsync(new StrayInstanceScanRequest(token, Cutoff, 1000, 1, 200)));
            token = page.NextToken;
            pages++;
            scanned += page.Scanned;
            orphans += page.OrphanCount;
            collected += page.Orphans.Count;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(3000, scanned);
        Assert.Equal(10, orphans);
        Assert.Equal(3, collected);
        Assert.Equal(3, ec2.Count("DescribeInstances"));
        // The active jobs are read once for the sweep (cached between its pages), not per candidate.
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count, counter.Count("Query"));
    }

    [Fact]
    public async Task A_whole_sweep_of_3000_instances_makes_the_minimum_requests()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        for (var i = 0; i < 3000; i++)
        {
            // 40 old instances without a job, spread over all pages; the rest young.
            ec2.AddInstance($"i-{i:D17}", launchTime: i % 75 == 0 ? Cutoff.AddHours(-2) : Cutoff.AddMinutes(1), tags: Managed);
        }

        var counter = new CountingHttpClientFactory();
        var activities = await ActivitiesAsync(ec2, table, counter);
        var env = new ActivityEnvironment();
        var plan = await activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, null, null, null));

        // Drive the activities the way the workflow does, with its own progress record.
        var progress = RunsFleet.Workflows.Sweeps.StrayInstances.StrayInstanceSweepContinuation.Start(plan);
        while (!progress.ScanDone)
        {
            var request = new StrayInstanceScanRequest(progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots);
            progress = progress.Add(await env.RunAsync(() => activities.ScanStrayInstancePageAsync(request)));
        }

        Assert.Equal(SweepAction.Act, SweepBlastRadius.Decide(progress.OrphanCount, plan.MaxTerminations, dryRun: false));
        var terminated = 0;
        foreach (var batch in progress.Orphans.Chunk(plan.TerminateBatchSize))
        {
            terminated += (await env.RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)))).Terminated;
        }

        Assert.Equal((3000L, 40L, 40), (progress.Scanned, progress.OrphanCount, terminated));
        // 3 listing pages + 1 re-check of the single batch.
        Assert.Equal(4, ec2.Count("DescribeInstances"));
        Assert.Equal(1, ec2.Count("TerminateInstances"));
        // One read of the status index for the scan + one instance-id-index Query per orphan at the re-check.
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count + 40, counter.Count("Query"));
        Assert.Equal(40, ec2.Instances.Count(i => i.State == Ec2States.ShuttingDown));
    }

    [Fact]
    public async Task Terminate_rechecks_jobs_and_terminates_only_still_orphaned_instances()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        foreach (var id in new[] { "i-orphan1", "i-orphan2", "i-assigned", "i-ambiguous" })
        {
            ec2.AddInstance(id, launchTime: Cutoff.AddHours(-1), tags: Managed);
        }

        ec2.AddInstance("i-protected-meanwhile", launchTime: Cutoff.AddHours(-1), tags: new Dictionary<string, string>(Managed) { [FleetTags.Protected] = "true" });

        using var dynamo = dynalite.CreateClient();
        // Since the scan, a warm instance got a job and another got a record without status.
        await JobsTableSeed.PutJobsAsync(dynamo, table, [(7, "i-assigned", "running"), (8, "i-ambiguous", null)]);
        var counter = new CountingHttpClientFactory();
        var activities = await ActivitiesAsync(ec2, table, counter);
        var batch = new[] { "i-orphan1", "i-orphan2", "i-assigned", "i-ambiguous", "i-protected-meanwhile" }
            .Select(id => new StrayInstanceCandidate(id, Cutoff.AddHours(-1), "no active job"))
            .ToList();

        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)));

        Assert.Equal(
            ["i-ambiguous=LookupFailed", "i-assigned=ActiveJob", "i-orphan1=Terminated", "i-orphan2=Terminated", "i-protected-meanwhile=Protected"],
            result.Outcomes.Select(o => $"{o.InstanceId}={o.Decision}").Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Terminated);
        Assert.Contains("job 7", result.Outcomes.Single(o => o.InstanceId == "i-assigned").Reason, StringComparison.Ordinal);
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-orphan1")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-assigned")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-ambiguous")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-protected-meanwhile")!.State);
        Assert.Equal(1, ec2.Count("DescribeInstances"));
        Assert.Equal(1, ec2.Count("TerminateInstances"));
        Assert.Equal(["i-orphan1", "i-orphan2"], ec2.RequestsFor("TerminateInstances")[0].FormList("InstanceId"));
        Assert.Equal(4, counter.Count("Query"));
    }

    [Fact]
    public async Task Throttled_terminate_fails_retryably_and_the_retry_terminates()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-orphan", launchTime: Cutoff.AddHours(-1), tags: Managed);
        ec2.FailNext("TerminateInstances", "RequestLimitExceeded");
        var activities = await ActivitiesAsync(ec2, table, new CountingHttpClientFactory());
        var request = new StrayInstanceTerminateRequest([new StrayInstanceCandidate("i-orphan", Cutoff.AddHours(-1), "no active job")]);
        var env = new ActivityEnvironment();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => env.RunAsync(() => activities.TerminateStrayInstancesAsync(request)));
        Assert.Equal("RequestLimitExceeded", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal(Ec2States.Running, ec2.Find("i-orphan")!.State);

        var retried = await env.RunAsync(() => activities.TerminateStrayInstancesAsync(request));
        Assert.Equal(1, retried.Terminated);
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-orphan")!.State);
    }

    [Fact]
    public async Task Instances_gone_since_the_scan_do_not_block_the_rest_of_the_batch()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-orphan1", launchTime: Cutoff.AddHours(-1), tags: Managed);
        ec2.AddInstance("i-orphan2", launchTime: Cutoff.AddHours(-1), tags: Managed);
        ec2.AddInstance("i-stopped-meanwhile", state: Ec2States.ShuttingDown, launchTime: Cutoff.AddHours(-1), tags: Managed);
        // EC2 forgets i-orphan1 between the re-check and the terminate call.
        ec2.FailNext("TerminateInstances", "InvalidInstanceID.NotFound", message: "The instance ID 'i-orphan1' does not exist");
        var activities = await ActivitiesAsync(ec2, table, new CountingHttpClientFactory());
        var batch = new[] { "i-orphan1", "i-vanished", "i-stopped-meanwhile", "i-orphan2" }
            .Select(id => new StrayInstanceCandidate(id, Cutoff.AddHours(-1), "no active job"))
            .ToList();

        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)));

        Assert.Equal(
            ["i-orphan1=Gone", "i-orphan2=Terminated", "i-stopped-meanwhile=Gone", "i-vanished=Gone"],
            result.Outcomes.Select(o => $"{o.InstanceId}={o.Decision}").Order(StringComparer.Ordinal));
        Assert.Equal(1, ec2.Count("DescribeInstances"));
        Assert.Equal(["i-orphan1", "i-orphan2"], ec2.RequestsFor("TerminateInstances")[0].FormList("InstanceId"));
        Assert.Equal(["i-orphan2"], ec2.RequestsFor("TerminateInstances")[1].FormList("InstanceId"));
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-orphan2")!.State);
    }

    [Fact]
    public async Task Throttled_listing_fails_the_page_retryably_and_terminates_nothing()
    {
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-orphan", launchTime: Cutoff.AddHours(-1), tags: Managed);
        ec2.FailNext("DescribeInstances", "RequestLimitExceeded");
        var counter = new CountingHttpClientFactory();
        var activities = await ActivitiesAsync(ec2, await dynalite.CreateJobsTableAsync(), counter);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => activities.ScanStrayInstancePageAsync(new StrayInstanceScanRequest(null, Cutoff, 1000, 51, 200))));

        Assert.Equal("RequestLimitExceeded", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal(0, counter.Total);
        Assert.Equal(0, ec2.Count("TerminateInstances"));
    }

    [Fact]
    public async Task Plan_uses_configuration_unless_the_input_overrides_it_and_rejects_bad_overrides()
    {
        await using var ec2 = new FakeEc2Server();
        var activities = await ActivitiesAsync(ec2, "unused", new CountingHttpClientFactory(), new StrayInstanceSweepOptions { MaxTerminations = 20, PagesPerRun = 7 });

        var defaults = await activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, null, null, null));
        Assert.Equal(Now.AddMinutes(-370), defaults.Cutoff);
        Assert.Equal(20, defaults.MaxTerminations);
        Assert.Equal(7, defaults.PagesPerRun);

        var overridden = await activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, 600, 5, 2)); // only more careful
        Assert.Equal(Now.AddMinutes(-610), overridden.Cutoff);
        Assert.Equal(5, overridden.MaxTerminations);
        Assert.Equal(2, overridden.PagesPerRun);

        var bad = await Assert.ThrowsAsync<ApplicationFailureException>(() => activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, null, -1, null)));
        Assert.Equal("InvalidInput", bad.ErrorType);
        Assert.True(bad.NonRetryable);
        Assert.Empty(ec2.Requests);
    }

    [Fact]
    public async Task Publishes_the_terminated_count()
    {
        await using var ec2 = new FakeEc2Server();
        var sink = new RecordingMetricsSink();
        var activities = await ActivitiesAsync(ec2, "unused", new CountingHttpClientFactory(), sink: sink);

        Assert.Equal(1, await activities.PublishStrayInstanceMetricsAsync(3));

        var metric = Assert.Single(sink.All);
        Assert.Equal(("OrphanedInstancesTerminated", 3.0, "Count"), (metric.Name, metric.Value, metric.Unit));
    }

    [Fact]
    public async Task Publishes_the_total_and_one_datum_per_phase_with_the_phase_dimension()
    {
        await using var ec2 = new FakeEc2Server();
        var sink = new RecordingMetricsSink();
        var activities = await ActivitiesAsync(ec2, "unused", new CountingHttpClientFactory(), sink: sink);

        Assert.Equal(7, await activities.PublishStrayInstanceMetricsAsync(3, new StrayInstancePhaseCounts(MaxRuntime: 1, Completed: 2, PackerBuilder: 0)));

        var total = Assert.Single(sink.All, m => m.Dimensions.Count == 0);
        Assert.Equal(("OrphanedInstancesTerminated", 3.0), (total.Name, total.Value));
        Assert.Equal(
            ["AbandonedStopped=0", "Completed=2", "MaxRuntime=1", "PackerBuilder=0", "Unclaimed=0", "UnmanagedProfile=0"],
            sink.All.Where(m => m.Dimensions.Count == 1).Select(m => $"{m.Dimensions["Phase"]}={m.Value}").Order(StringComparer.Ordinal));
    }

    private Task<StrayInstanceSweepActivities> ActivitiesAsync(
        FakeEc2Server ec2, string table, CountingHttpClientFactory counter, StrayInstanceSweepOptions? options = null, RecordingMetricsSink? sink = null) =>
        StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, counter, options, sink);
}
