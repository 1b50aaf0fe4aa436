using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

public class StrayInstancePhaseActivitiesTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private const string Profile = "arn:aws:iam::123456789012:instance-profile/runs-fleet-runner";
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Managed = new() { [FleetTags.Managed] = "true" };
    private static readonly Dictionary<string, string> PoolMember = new(Managed) { [FleetTags.Pool] = "warm" };

    [Fact]
    public async Task The_managed_listing_finds_each_phase_and_leaves_pool_members_to_their_pool()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-old", launchTime: Now.AddHours(-7), tags: Managed);
        ec2.AddInstance("i-unclaimed", launchTime: Now.AddMinutes(-45), tags: Managed);
        ec2.AddInstance("i-cold", launchTime: Now.AddMinutes(-20), tags: Managed);
        ec2.AddInstance("i-done", launchTime: Now.AddHours(-2), tags: Managed);
        ec2.AddInstance("i-just-done", launchTime: Now.AddHours(-2), tags: Managed);
        ec2.AddInstance("i-restarted", launchTime: Now.AddMinutes(-40), tags: Managed);
        ec2.AddInstance("i-busy", launchTime: Now.AddHours(-1), tags: Managed);
        ec2.AddInstance("i-pool-idle", launchTime: Now.AddHours(-3), tags: PoolMember);
        ec2.AddInstance("i-pool-done", launchTime: Now.AddHours(-3), tags: PoolMember);
        ec2.AddInstance("i-abandoned", state: Ec2States.Stopped, launchTime: Now.AddHours(-30), tags: Managed);
        ec2.AddInstance("i-pool-stopped", state: Ec2States.Stopped, launchTime: Now.AddHours(-30), tags: PoolMember);
        ec2.AddInstance("i-stopped-recently", state: Ec2States.Stopped, launchTime: Now.AddHours(-2), tags: Managed);
        using var dynamo = dynalite.CreateClient();
        await JobsTableSeed.PutJobsAsync(dynamo, table, [
            (1, "i-old", "completed", Now.AddHours(-6)),
            (2, "i-done", "completed", Now.AddMinutes(-30)),
            (3, "i-just-done", "failed", Now.AddMinutes(-5)),
            // Completed before its launch: a previous life of a restarted instance.
            (4, "i-restarted", "completed", Now.AddHours(-3)),
            (5, "i-busy", "running", null),
            (6, "i-pool-done", "completed", Now.AddHours(-1)),
        ]);
        var counter = new CountingHttpClientFactory();
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, counter, new StrayInstanceSweepOptions { StoppedEnabled = true });

        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);

        Assert.Equal(
            ["i-abandoned=AbandonedStopped", "i-done=Completed", "i-old=MaxRuntime", "i-unclaimed=Unclaimed"],
            progress.Orphans.Select(o => $"{o.InstanceId}={o.Phase}").Order(StringComparer.Ordinal));
        Assert.Equal(new StrayInstancePhaseCounts(MaxRuntime: 1, Unclaimed: 1, Completed: 1, AbandonedStopped: 1), progress.PhaseCounts);
        Assert.Equal(["i-busy=ActiveJob"], progress.Kept.Select(k => $"{k.InstanceId}={k.Decision}"));
        Assert.Equal((12L, 7L), (progress.Scanned, progress.Young));
        // One listing (stopped included for phase e) and the builders' (none here), one status-index read,
        // and a history Query only for the non-pool instances c or d may take: i-unclaimed, i-cold, i-done,
        // i-just-done, i-restarted.
        Assert.Equal(2, ec2.Count("DescribeInstances"));
        Assert.Contains("stopped", ec2.RequestsFor("DescribeInstances")[0].Form.Values);
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count + 5, counter.Count("Query"));

        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);
        Assert.All(outcomes, o => Assert.Equal(StrayInstanceDecision.Terminated, o.Decision));
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-abandoned")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-pool-idle")!.State);
        Assert.Equal(Ec2States.Stopped, ec2.Find("i-pool-stopped")!.State);
    }

    [Fact]
    public async Task The_runner_profile_listing_finds_untagged_runners_in_any_state_and_only_with_evidence()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        var pools = await dynalite.CreatePoolsTableAsync();
        // Evidence that runs-fleet launched them: a launch tag, a job record, a (long expired) claim row.
        OnProfile(ec2.AddInstance("i-untagged", launchTime: Now.AddHours(-1), tags: new Dictionary<string, string> { ["runs-fleet:run-id"] = "9000000001" }));
        OnProfile(ec2.AddInstance("i-untagged-stopped", state: Ec2States.Stopped, launchTime: Now.AddHours(-1)));
        OnProfile(ec2.AddInstance("i-pathed", launchTime: Now.AddHours(-1)), "arn:aws:iam::123456789012:instance-profile/ci/runs-fleet-runner");
        OnProfile(ec2.AddInstance("i-stranger", launchTime: Now.AddHours(-1)));
        OnProfile(ec2.AddInstance("i-tagged", launchTime: Now.AddMinutes(-20), tags: Managed));
        OnProfile(ec2.AddInstance("i-fresh", launchTime: Now.AddMinutes(-5)));
        OnProfile(ec2.AddInstance("i-untagged-busy", launchTime: Now.AddHours(-1)));
        OnProfile(ec2.AddInstance("i-similar", launchTime: Now.AddHours(-1)), Profile + "-2");
        OnProfile(ec2.AddInstance("i-other", launchTime: Now.AddHours(-1)), "arn:aws:iam::123456789012:instance-profile/builder");
        ec2.AddInstance("i-no-profile", launchTime: Now.AddHours(-1));
        // A Packer builder on the runners' own profile, building for 30 minutes: neither b's nor (yet) f's.
        ec2.AddPackerBuilder("i-building", launchTime: Now.AddMinutes(-30));
        using var dynamo = dynalite.CreateClient();
        var done = RunsFleetSeed.Launched(7, "i-untagged-stopped", Now.AddHours(-1));
        await RunsFleetSeed.PutAsync(dynamo, table,
            RunsFleetSeed.Ended(RunsFleetSeed.Running(done, Now.AddMinutes(-58)), "success", Now.AddMinutes(-40)),
            RunsFleetSeed.Running(RunsFleetSeed.Launched(8, "i-untagged-busy", Now.AddHours(-1)), Now.AddMinutes(-59)));
        await RunsFleetSeed.PutAsync(dynamo, pools, RunsFleetSeed.InstanceClaim("i-pathed", 9, Now.AddHours(-1), TimeSpan.FromMinutes(5)));
        var counter = new CountingHttpClientFactory();
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(
            dynalite, ec2, table, counter, new StrayInstanceSweepOptions { RunnerInstanceProfile = "runs-fleet-runner", PoolsTableName = pools });

        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);

        Assert.Equal((StrayInstanceListing.PackerBuilders, true), (progress.Listing, progress.ScanDone));
        Assert.Equal(
            ["i-pathed", "i-untagged", "i-untagged-stopped"],
            progress.Orphans.Select(o => o.InstanceId).Order(StringComparer.Ordinal));
        Assert.All(progress.Orphans, o => Assert.Equal(StrayInstancePhase.UnmanagedProfile, o.Phase));
        Assert.Equal(3, progress.PhaseCounts.UnmanagedProfile);
        Assert.Equal(
            ["i-stranger=NoRunnerEvidence", "i-untagged-busy=ActiveJob"],
            progress.Kept.Select(k => $"{k.InstanceId}={k.Decision}").Order(StringComparer.Ordinal));
        Assert.Equal(1, progress.KeptCounts.NoRunnerEvidence);
        // The managed listing (i-tagged, too young), the profile listing (i-tagged again: not b's; the
        // builder: not b's), the builders' listing (the builder, too young for f).
        Assert.Equal((3, 10L), (ec2.Count("DescribeInstances"), progress.Scanned));
        Assert.Contains("iam-instance-profile.arn", ec2.RequestsFor("DescribeInstances")[1].Form.Values);
        Assert.Contains("tag:created-by", ec2.RequestsFor("DescribeInstances")[2].Form.Values);
        // Evidence costs one history Query per untagged candidate (i-untagged-stopped, i-pathed, i-stranger)
        // and one BatchGetItem for those no job record names (i-pathed, i-stranger); the fourth history
        // is phase d's, for i-tagged on the managed listing.
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count + 4, counter.Count("Query"));
        Assert.Equal(1, counter.Count("BatchGetItem"));

        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);
        Assert.Equal(3, outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated && o.Phase == StrayInstancePhase.UnmanagedProfile));
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-untagged-stopped")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-stranger")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-building")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-similar")!.State);
        // The re-check: one instance-id-index Query per orphan, one BatchGetItem for the batch's claims.
        Assert.Equal((ActiveJobIndexReader.ActiveStatuses.Count + 7, 2), (counter.Count("Query"), counter.Count("BatchGetItem")));
    }

    public static TheoryData<StrayInstancePhase> NewPhases => [StrayInstancePhase.UnmanagedProfile, StrayInstancePhase.Unclaimed, StrayInstancePhase.Completed, StrayInstancePhase.AbandonedStopped];

    [Theory]
    [MemberData(nameof(NewPhases))]
    public async Task Each_phase_reports_dry_run_and_cap_before_terminating_and_fails_closed(StrayInstancePhase phase)
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        using var dynamo = dynalite.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await SeedOrphanAsync(ec2, dynamo, table, phase, $"i-{phase.ToString().ToLowerInvariant()}-{i}", i);
        }

        var options = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runs-fleet-runner", StoppedEnabled = true, MaxTerminations = 2 };

        // Fail closed: an unreadable jobs table keeps every instance and terminates nothing.
        var broken = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, "no-such-table", new CountingHttpClientFactory(), options);
        var unread = await StrayInstanceSweepDriver.ScanAsync(broken, Now);
        Assert.Equal((0L, 3), (unread.OrphanCount, unread.KeptCounts.LookupFailed));

        // Cap: three orphans of the phase exceed a cap of two: nothing is terminated; a dry run neither.
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, new CountingHttpClientFactory(), options);
        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);
        Assert.Equal((3L, 3L), (progress.OrphanCount, progress.PhaseCounts[phase]));
        Assert.Equal(SweepAction.CapReached, SweepBlastRadius.Decide(progress.OrphanCount, progress.Plan.MaxTerminations, dryRun: false));
        Assert.Equal(SweepAction.DryRun, SweepBlastRadius.Decide(progress.OrphanCount, 3, dryRun: true));
        Assert.Equal(0, ec2.Count("TerminateInstances"));

        // Under the cap, the re-check keeps the phase's state and terminates all three.
        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);
        Assert.Equal(3, outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated && o.Phase == phase));
        Assert.All(ec2.Instances, i => Assert.Equal(Ec2States.ShuttingDown, i.State));
    }

    [Fact]
    public async Task The_recheck_keeps_an_orphan_whose_state_or_tags_changed_since_the_scan()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-restarted", launchTime: Now.AddHours(-30), tags: Managed);
        OnProfile(ec2.AddInstance("i-tagged-late", launchTime: Now.AddHours(-1), tags: Managed));
        ec2.AddInstance("i-stopped-since", state: Ec2States.Stopped, launchTime: Now.AddHours(-1), tags: Managed);
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, new CountingHttpClientFactory());
        StrayInstanceCandidate Candidate(string id, StrayInstancePhase phase) => new(id, Now.AddHours(-1), "scan") { Phase = phase };

        var result = await new Temporalio.Testing.ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest([
            Candidate("i-restarted", StrayInstancePhase.AbandonedStopped),
            Candidate("i-tagged-late", StrayInstancePhase.UnmanagedProfile),
            Candidate("i-stopped-since", StrayInstancePhase.Unclaimed),
        ])));

        Assert.All(result.Outcomes, o => Assert.Equal(StrayInstanceDecision.Gone, o.Decision));
        Assert.Equal(
            ["i-restarted: running since the scan, no longer stopped", "i-stopped-since: stopped since the scan, no longer pending or running", "i-tagged-late: tagged runs-fleet:managed=true since the scan"],
            result.Outcomes.Select(o => $"{o.InstanceId}: {o.Reason}").Order(StringComparer.Ordinal));
        Assert.Equal(0, ec2.Count("TerminateInstances"));
    }

    private static async Task SeedOrphanAsync(FakeEc2Server ec2, Amazon.DynamoDBv2.IAmazonDynamoDB dynamo, string table, StrayInstancePhase phase, string id, int n)
    {
        switch (phase)
        {
            case StrayInstancePhase.UnmanagedProfile:
                // runs-fleet's launch tags arrived, all but the managed one: evidence enough.
                OnProfile(ec2.AddInstance(
                    id, state: n == 0 ? Ec2States.Stopped : Ec2States.Running, launchTime: Now.AddHours(-1), tags: new Dictionary<string, string> { ["runs-fleet:run-id"] = "1" }));
                break;
            case StrayInstancePhase.Unclaimed:
                ec2.AddInstance(id, launchTime: Now.AddHours(-1), tags: Managed);
                break;
            case StrayInstancePhase.Completed:
                ec2.AddInstance(id, launchTime: Now.AddHours(-2), tags: Managed);
                await JobsTableSeed.PutJobsAsync(dynamo, table, [(100 + n, id, "completed", Now.AddHours(-1))]);
                break;
            default:
                ec2.AddInstance(id, state: Ec2States.Stopped, launchTime: Now.AddHours(-25), tags: Managed);
                break;
        }
    }

    private static void OnProfile(FakeEc2Instance instance, string arn = Profile) => instance.IamInstanceProfileArn = arn;
}
