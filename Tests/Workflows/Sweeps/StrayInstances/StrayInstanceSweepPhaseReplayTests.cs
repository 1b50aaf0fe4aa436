using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

/// <summary>The workflow branches of phases b-e: the second listing, per-phase counts, cap and dry run across phases.</summary>
public class StrayInstanceSweepPhaseReplayTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    private static readonly StrayInstancePhaseCutoffs WithProfile = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runner" }.PhaseCutoffs(Start);
    private static readonly StrayInstancePhaseCutoffs WithoutProfile = new StrayInstanceSweepOptions().PhaseCutoffs(Start);

    [Fact]
    public async Task Phase_b_reads_the_runner_profile_listing_after_the_managed_one_and_counts_per_phase()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.Unclaimed, "i-c1"), (StrayInstancePhase.Completed, "i-d1")))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("TerminateOrphans", new StrayInstanceTerminateResult([
                Report("i-c1", StrayInstancePhase.Unclaimed, StrayInstanceDecision.Terminated),
                Report("i-d1", StrayInstancePhase.Completed, StrayInstanceDecision.ActiveJob),
                Report("i-b1", StrayInstancePhase.UnmanagedProfile, StrayInstanceDecision.Terminated),
            ]))
            .ActivityCompleted("PublishOrphanMetrics", 6)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        var managed = replay.Activities[1].Arg<StrayInstanceScanRequest>();
        var profile = replay.Activities[2].Arg<StrayInstanceScanRequest>();
        Assert.Equal((StrayInstanceListing.Managed, StrayInstanceListing.RunnerProfile), (managed.Listing, profile.Listing));
        Assert.Null(profile.NextToken);
        Assert.Equal(WithProfile.ProfileArns, profile.Phases!.ProfileArns);
        Assert.Equal(
            ["i-c1=Unclaimed", "i-d1=Completed", "i-b1=UnmanagedProfile"],
            replay.Activities[3].Arg<StrayInstanceTerminateRequest>().Orphans.Select(o => $"{o.InstanceId}={o.Phase}"));
        Assert.Equal(2, replay.Activities[4].Arg<int>());
        Assert.Equal(new StrayInstancePhaseCounts(UnmanagedProfile: 1, Unclaimed: 1), replay.Activities[4].Arg<StrayInstancePhaseCounts>(1));
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(new StrayInstancePhaseCounts(UnmanagedProfile: 1, Unclaimed: 1, Completed: 1), result.OrphansByPhase);
        Assert.Equal(new StrayInstancePhaseCounts(UnmanagedProfile: 1, Unclaimed: 1), result.TerminatedByPhase);
        Assert.Equal((3L, 2), (result.OrphansFound, result.Terminated));
        Assert.Contains("unmanaged profile 1, unclaimed 1, completed 1", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_runner_profile_one_listing_ends_the_scan_and_a_dry_run_reports_each_phase()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithoutProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.MaxRuntime, "i-a1"), (StrayInstancePhase.Completed, "i-d1")))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage"], replay.ActivityTypes);
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(SweepAction.DryRun, result.Action);
        Assert.Equal(["i-a1=DryRun/MaxRuntime", "i-d1=DryRun/Completed"], result.Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}"));
        Assert.Equal(new StrayInstancePhaseCounts(MaxRuntime: 1, Completed: 1), result.OrphansByPhase);
        Assert.Equal(StrayInstancePhaseCounts.Zero, result.TerminatedByPhase);
    }

    [Fact]
    public async Task The_cap_counts_the_orphans_of_every_phase_together()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(2, WithProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.Unclaimed, "i-c1"), (StrayInstancePhase.AbandonedStopped, "i-e1")))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("PublishOrphanMetrics", 6)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "PublishOrphanMetrics"], replay.ActivityTypes);
        Assert.Equal(StrayInstancePhaseCounts.Zero, replay.Activities[3].Arg<StrayInstancePhaseCounts>(1));
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(SweepAction.CapReached, result.Action);
        Assert.Equal(
            ["i-c1=CapReached/Unclaimed", "i-e1=CapReached/AbandonedStopped", "i-b1=CapReached/UnmanagedProfile"],
            result.Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}"));
    }

    [Fact]
    public async Task A_continuation_between_the_listings_starts_the_profile_listing_from_its_first_page()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput { PagesPerRun = 1 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithProfile, pagesPerRun: 1))
            .ActivityCompleted("ScanOrphanPage", Page(null, (StrayInstancePhase.Unclaimed, "i-c1")))
            .ContinuedAsNew(Type, null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        var next = SweepContinuation.Read<StrayInstanceSweepContinuation>(replay.ContinuedAsNew!.Arg<StrayInstanceSweepInput>().Continuation)!;
        Assert.Equal((StrayInstanceListing.RunnerProfile, false, (string?)null), (next.Listing, next.ListingDone, next.NextToken));
        Assert.False(next.ScanDone);
        Assert.Equal(1, next.PhaseCounts.Unclaimed);
        Assert.Equal(["i-c1=Unclaimed"], next.Orphans.Select(o => $"{o.InstanceId}={o.Phase}"));
    }

    private static StrayInstanceSweepPlan Plan(int cap, StrayInstancePhaseCutoffs phases, int pagesPerRun = 10) =>
        new StrayInstanceSweepPlan
        {
            Now = Start,
            Cutoff = StrayInstancePolicy.Cutoff(Start, 360, 10),
            MaxRuntimeMinutes = 360,
            BufferMinutes = 10,
            MaxTerminations = cap,
            PageSize = 1000,
            TerminateBatchSize = 50,
            PagesPerRun = pagesPerRun,
            MaxListedInstances = 200,
            Phases = phases,
        };

    private static StrayInstanceReport Report(string id, StrayInstancePhase phase, StrayInstanceDecision decision) =>
        new(id, Start.AddDays(-1), decision, decision.ToString()) { Phase = phase };

    private static StrayInstanceScanPage Page(string? next, params (StrayInstancePhase Phase, string Id)[] orphans) =>
        new(next, orphans.Length + 1, 1, orphans.Length, [.. orphans.Select(o => new StrayInstanceCandidate(o.Id, Start.AddDays(-1), "orphan") { Phase = o.Phase })], [], StrayInstanceKeptCounts.Zero)
        {
            PhaseCounts = orphans.Aggregate(StrayInstancePhaseCounts.Zero, (counts, o) => counts.Count(o.Phase)),
        };
}
