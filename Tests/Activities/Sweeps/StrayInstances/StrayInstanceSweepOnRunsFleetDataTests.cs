using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

/// <summary>
/// OrphanSweep against runs-fleet's own data: job records and claim rows as its Go code writes them
/// (RunsFleetSeed), tables as its dynamodb.tf creates them, Packer builders and termination protection
/// in the EC2 fake. Request counts are checked: claims come 100 per BatchGetItem, builders cost no
/// table read, a protected instance costs one more TerminateInstances.
/// </summary>
public class StrayInstanceSweepOnRunsFleetDataTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly Dictionary<string, string> Managed = new() { [FleetTags.Managed] = "true" };
    private static readonly Dictionary<string, string> PoolMember = new(Managed) { [FleetTags.Pool] = "warm-arm" };

    [Fact]
    public async Task Builders_are_reaped_after_an_hour_in_every_state_packer_leaves_them_with_no_table_read()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: true);
        ec2.AddPackerBuilder("i-b-pending", state: Ec2States.Pending, launchTime: Now.AddMinutes(-61));
        ec2.AddPackerBuilder("i-b-running", template: "runner-base-amd64", launchTime: Now.AddHours(-3));
        ec2.AddPackerBuilder("i-b-stopping", template: "runs-fleet-runner-amd64", state: Ec2States.Stopping, launchTime: Now.AddHours(-2));
        ec2.AddPackerBuilder("i-b-stopped", template: "runner-base-arm64", state: Ec2States.Stopped, launchTime: Now.AddHours(-5));
        ec2.AddPackerBuilder("i-b-building", launchTime: Now.AddMinutes(-50));
        ec2.AddPackerBuilder("i-b-kept", launchTime: Now.AddHours(-2)).Tags[FleetTags.Protected] = "true";
        ec2.AddPackerBuilder("i-b-gone", state: Ec2States.Terminated, launchTime: Now.AddHours(-9));
        var counter = new CountingHttpClientFactory();
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(
            dynalite, ec2, table, counter, new StrayInstanceSweepOptions { RunnerInstanceProfile = "runs-fleet-runner" });

        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);

        Assert.Equal(
            ["i-b-pending", "i-b-running", "i-b-stopped", "i-b-stopping"],
            progress.Orphans.Select(o => o.InstanceId).Order(StringComparer.Ordinal));
        Assert.All(progress.Orphans, o => Assert.Equal(StrayInstancePhase.PackerBuilder, o.Phase));
        Assert.Equal(new StrayInstancePhaseCounts(PackerBuilder: 4), progress.PhaseCounts);
        Assert.Equal(["i-b-kept=Protected"], progress.Kept.Select(k => $"{k.InstanceId}={k.Decision}"));
        var builderListing = ec2.RequestsFor("DescribeInstances")[2].Form;
        Assert.Contains(builderListing, f => f.Value == "tag:created-by");
        Assert.Equal(
            ["pending", "running", "stopped", "stopping"],
            builderListing.Where(f => f.Key.StartsWith("Filter.2.Value.", StringComparison.Ordinal)).Select(f => f.Value).Order(StringComparer.Ordinal));
        // Builders hold no job and no claim: the tables are never read for them (the profile listing
        // sees the same builders and leaves them to phase f without a read either).
        Assert.Equal(0, counter.Total);

        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);

        Assert.Equal(4, outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated && o.Phase == StrayInstancePhase.PackerBuilder));
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find("i-b-stopped")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-b-building")!.State);
        Assert.Equal(Ec2States.Running, ec2.Find("i-b-kept")!.State);
        Assert.Equal((0, 1), (counter.Total, ec2.Count("TerminateInstances")));
    }

    [Fact]
    public async Task Phase_b_leaves_builders_and_unproven_instances_on_the_runner_profile_alone()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        // Packer is off: the builders are then nobody's, and phase b still never takes them.
        ec2.AddPackerBuilder("i-builder", state: Ec2States.Stopped, launchTime: Now.AddHours(-2));
        ec2.AddInstance("i-debug-box", launchTime: Now.AddHours(-2)).IamInstanceProfileArn = "arn:aws:iam::123456789012:instance-profile/runs-fleet-runner";
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(
            dynalite, ec2, table, new CountingHttpClientFactory(), new StrayInstanceSweepOptions { RunnerInstanceProfile = "runs-fleet-runner", PackerEnabled = false });

        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);

        Assert.Equal(0, progress.OrphanCount);
        var stranger = Assert.Single(progress.Kept);
        Assert.Equal(("i-debug-box", StrayInstanceDecision.NoRunnerEvidence), (stranger.InstanceId, stranger.Decision));
        Assert.Contains("no runs-fleet:* tag, job record or instance claim names it", stranger.Reason, StringComparison.Ordinal);
        Assert.Equal(2, ec2.Count("DescribeInstances"));
    }

    [Fact]
    public async Task A_live_or_unreadable_claim_keeps_an_idle_pool_member_and_claims_are_read_100_per_call()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        var pools = await dynalite.CreatePoolsTableAsync();
        var ids = Enumerable.Range(0, 150).Select(i => $"i-{i:D17}").ToList();
        foreach (var id in ids)
        {
            // Idle pool members past the max runtime: phase a's.
            ec2.AddInstance(id, launchTime: Now.AddHours(-8), tags: PoolMember);
        }

        using var dynamo = dynalite.CreateClient();
        await RunsFleetSeed.PutAsync(dynamo, pools,
            RunsFleetSeed.InstanceClaim(ids[3], 301, Now.AddSeconds(-20), TimeSpan.FromMinutes(5)),
            RunsFleetSeed.InstanceClaim(ids[120], 302, Now.AddMinutes(-1), TimeSpan.FromMinutes(5)),
            RunsFleetSeed.InstanceClaim(ids[7], 303, Now.AddHours(-7), TimeSpan.FromMinutes(5)),
            RunsFleetSeed.PoolConfig("warm-arm", "m7g.large", 150, 0),
            RunsFleetSeed.TaskLock("orphaned_instances", Now.AddMinutes(5)));
        var counter = new CountingHttpClientFactory();
        var options = new StrayInstanceSweepOptions { PoolsTableName = pools, MaxTerminations = 200, TerminateBatchSize = 150 };
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, counter, options);
        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);
        Assert.Equal(150, progress.PhaseCounts.MaxRuntime);

        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);

        Assert.Equal(
            [$"{ids[3]}=Claimed", $"{ids[120]}=Claimed"],
            outcomes.Where(o => o.Decision != StrayInstanceDecision.Terminated).Select(o => $"{o.InstanceId}={o.Decision}").Order(StringComparer.Ordinal));
        Assert.Contains("claimed for job 302 until", outcomes.Single(o => o.InstanceId == ids[120]).Reason, StringComparison.Ordinal);
        Assert.Equal(148, outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated));
        Assert.Equal(Ec2States.ShuttingDown, ec2.Find(ids[7])!.State);
        Assert.Equal(Ec2States.Running, ec2.Find(ids[3])!.State);
        // 150 claims in one batch: two BatchGetItem calls (100 keys each at most), never one read per instance.
        Assert.Equal((2, 0), (counter.Count("BatchGetItem"), counter.Count("GetItem")));

        // A pools table that cannot be read keeps every runner of the batch (fail closed).
        foreach (var instance in ec2.Instances)
        {
            instance.State = Ec2States.Running;
        }

        var blind = await StrayInstanceSweepDriver.ActivitiesAsync(
            dynalite, ec2, table, new CountingHttpClientFactory(), new StrayInstanceSweepOptions { PoolsTableName = "no-such-pools", TerminateBatchSize = 150 });
        var kept = await StrayInstanceSweepDriver.TerminateAsync(blind, progress);
        Assert.All(kept, o => Assert.Equal(StrayInstanceDecision.LookupFailed, o.Decision));
        Assert.Contains("instance claim unreadable", kept[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1, ec2.Count("TerminateInstances"));
    }

    [Fact]
    public async Task An_orphaned_or_unknown_job_record_keeps_its_instance_from_every_phase()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        ec2.AddInstance("i-max-orphaned", launchTime: Now.AddHours(-8), tags: Managed);
        ec2.AddInstance("i-done-orphaned", launchTime: Now.AddHours(-2), tags: Managed);
        ec2.AddInstance("i-unknown-status", launchTime: Now.AddHours(-2), tags: Managed);
        ec2.AddInstance("i-done", launchTime: Now.AddHours(-2), tags: Managed);
        using var dynamo = dynalite.CreateClient();
        var first = RunsFleetSeed.Launched(1, "i-max-orphaned", Now.AddHours(-8));
        await RunsFleetSeed.PutAsync(dynamo, table,
            RunsFleetSeed.Orphaned(RunsFleetSeed.Running(first, Now.AddHours(-8)), Now.AddHours(-1)),
            // A finished job, then one OrphanedJobSweep marked: the instance is not finished for reaping.
            RunsFleetSeed.Ended(RunsFleetSeed.Launched(2, "i-done-orphaned", Now.AddHours(-2)), "success", Now.AddMinutes(-90)),
            RunsFleetSeed.Orphaned(RunsFleetSeed.Launched(3, "i-done-orphaned", Now.AddMinutes(-89)), Now.AddMinutes(-30)),
            RunsFleetSeed.Ended(RunsFleetSeed.Launched(4, "i-unknown-status", Now.AddHours(-2)), "paused", Now.AddMinutes(-60)),
            RunsFleetSeed.Ended(RunsFleetSeed.Launched(5, "i-done", Now.AddHours(-2)), "failure", Now.AddMinutes(-60), exitCode: 1));
        var counter = new CountingHttpClientFactory();
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, counter);

        var progress = await StrayInstanceSweepDriver.ScanAsync(activities, Now);

        // status-created_at-index is read for the active statuses only, so the scan sees no job on
        // i-max-orphaned and phase a takes it; c and d read instance-id-index, which holds every status.
        Assert.Equal(
            ["i-done=Completed", "i-max-orphaned=MaxRuntime"],
            progress.Orphans.Select(o => $"{o.InstanceId}={o.Phase}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["i-done-orphaned=ActiveJob", "i-unknown-status=ActiveJob"],
            progress.Kept.Select(k => $"{k.InstanceId}={k.Decision}").Order(StringComparer.Ordinal));

        var outcomes = await StrayInstanceSweepDriver.TerminateAsync(activities, progress);

        // The re-check through instance-id-index catches the orphaned record before anything is terminated.
        var kept = outcomes.Single(o => o.InstanceId == "i-max-orphaned");
        Assert.Equal(StrayInstanceDecision.ActiveJob, kept.Decision);
        Assert.Equal("re-check before terminating: job 1 holds it (status orphaned, not finished)", kept.Reason);
        Assert.Equal(StrayInstanceDecision.Terminated, outcomes.Single(o => o.InstanceId == "i-done").Decision);
        Assert.Equal(Ec2States.Running, ec2.Find("i-max-orphaned")!.State);
    }

    [Fact]
    public async Task A_termination_protected_instance_is_reported_and_the_rest_of_its_batch_terminated()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        foreach (var id in new[] { "i-a", "i-locked1", "i-b", "i-locked2", "i-c" })
        {
            ec2.AddInstance(id, launchTime: Now.AddHours(-8), tags: Managed).DisableApiTermination = id.StartsWith("i-locked", StringComparison.Ordinal);
        }

        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, new CountingHttpClientFactory());
        var batch = ec2.Instances.Select(i => new StrayInstanceCandidate(i.InstanceId, i.LaunchTime, "old") { Phase = StrayInstancePhase.MaxRuntime }).ToList();

        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)));

        Assert.Equal(
            ["i-a=Terminated", "i-b=Terminated", "i-c=Terminated", "i-locked1=TerminationProtected", "i-locked2=TerminationProtected"],
            result.Outcomes.Select(o => $"{o.InstanceId}={o.Decision}").Order(StringComparer.Ordinal));
        Assert.Contains("disableApiTermination", result.Outcomes.Single(o => o.InstanceId == "i-locked1").Reason, StringComparison.Ordinal);
        // One refused call per protected instance, then the one that goes through: no attribute reads.
        Assert.Equal((3, 0), (ec2.Count("TerminateInstances"), ec2.Count("DescribeInstanceAttribute")));
        Assert.Equal(Ec2States.Running, ec2.Find("i-locked2")!.State);
    }

    [Fact]
    public async Task A_batch_full_of_protected_instances_stops_after_a_bounded_number_of_calls()
    {
        await using var ec2 = new FakeEc2Server();
        var table = await dynalite.CreateJobsTableAsync();
        for (var i = 0; i < InstanceTerminator.MaxProtectedPerBatch + 2; i++)
        {
            ec2.AddInstance($"i-locked{i:D2}", launchTime: Now.AddHours(-8), tags: Managed).DisableApiTermination = true;
        }

        ec2.AddInstance("i-free", launchTime: Now.AddHours(-8), tags: Managed);
        var activities = await StrayInstanceSweepDriver.ActivitiesAsync(dynalite, ec2, table, new CountingHttpClientFactory());
        var batch = ec2.Instances.Select(i => new StrayInstanceCandidate(i.InstanceId, i.LaunchTime, "old")).ToList();

        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)));

        Assert.Equal(InstanceTerminator.MaxProtectedPerBatch + 1, ec2.Count("TerminateInstances"));
        Assert.Equal(InstanceTerminator.MaxProtectedPerBatch + 1, result.Outcomes.Count(o => o.Decision == StrayInstanceDecision.TerminationProtected));
        var untried = result.Outcomes.Where(o => o.Decision == StrayInstanceDecision.TerminateFailed).Select(o => o.InstanceId).Order(StringComparer.Ordinal);
        Assert.Equal(["i-free", $"i-locked{InstanceTerminator.MaxProtectedPerBatch + 1:D2}"], untried);
        Assert.All(ec2.Instances, i => Assert.Equal(Ec2States.Running, i.State));
    }
}
