using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.Orphans;

namespace RunsFleet.Tests.Sweeps.Orphans;

/// <summary>The workflow branches of phases b-e: the second listing, per-phase counts, cap and dry run across phases.</summary>
public class OrphanSweepPhaseReplayTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    private static readonly OrphanPhaseCutoffs WithProfile = new OrphanSweepOptions { RunnerInstanceProfile = "runner" }.PhaseCutoffs(Start);
    private static readonly OrphanPhaseCutoffs WithoutProfile = new OrphanSweepOptions().PhaseCutoffs(Start);

    [Fact]
    public async Task Phase_b_reads_the_runner_profile_listing_after_the_managed_one_and_counts_per_phase()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.Unclaimed, "i-c1"), (OrphanPhase.Completed, "i-d1")))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("TerminateOrphans", new OrphanTerminateResult([
                Report("i-c1", OrphanPhase.Unclaimed, OrphanDecision.Terminated),
                Report("i-d1", OrphanPhase.Completed, OrphanDecision.ActiveJob),
                Report("i-b1", OrphanPhase.UnmanagedProfile, OrphanDecision.Terminated),
            ]))
            .ActivityCompleted("PublishOrphanMetrics", 6)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        var managed = replay.Activities[1].Arg<OrphanScanRequest>();
        var profile = replay.Activities[2].Arg<OrphanScanRequest>();
        Assert.Equal((OrphanListing.Managed, OrphanListing.RunnerProfile), (managed.Listing, profile.Listing));
        Assert.Null(profile.NextToken);
        Assert.Equal(WithProfile.ProfileArns, profile.Phases!.ProfileArns);
        Assert.Equal(
            ["i-c1=Unclaimed", "i-d1=Completed", "i-b1=UnmanagedProfile"],
            replay.Activities[3].Arg<OrphanTerminateRequest>().Orphans.Select(o => $"{o.InstanceId}={o.Phase}"));
        Assert.Equal(2, replay.Activities[4].Arg<int>());
        Assert.Equal(new OrphanPhaseCounts(UnmanagedProfile: 1, Unclaimed: 1), replay.Activities[4].Arg<OrphanPhaseCounts>(1));
        var result = replay.Result<OrphanSweepResult>();
        Assert.Equal(new OrphanPhaseCounts(UnmanagedProfile: 1, Unclaimed: 1, Completed: 1), result.OrphansByPhase);
        Assert.Equal(new OrphanPhaseCounts(UnmanagedProfile: 1, Unclaimed: 1), result.TerminatedByPhase);
        Assert.Equal((3L, 2), (result.OrphansFound, result.Terminated));
        Assert.Contains("unmanaged profile 1, unclaimed 1, completed 1", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_runner_profile_one_listing_ends_the_scan_and_a_dry_run_reports_each_phase()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithoutProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.MaxRuntime, "i-a1"), (OrphanPhase.Completed, "i-d1")))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage"], replay.ActivityTypes);
        var result = replay.Result<OrphanSweepResult>();
        Assert.Equal(OrphanAction.DryRun, result.Action);
        Assert.Equal(["i-a1=DryRun/MaxRuntime", "i-d1=DryRun/Completed"], result.Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}"));
        Assert.Equal(new OrphanPhaseCounts(MaxRuntime: 1, Completed: 1), result.OrphansByPhase);
        Assert.Equal(OrphanPhaseCounts.Zero, result.TerminatedByPhase);
    }

    [Fact]
    public async Task The_cap_counts_the_orphans_of_every_phase_together()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(2, WithProfile))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.Unclaimed, "i-c1"), (OrphanPhase.AbandonedStopped, "i-e1")))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("PublishOrphanMetrics", 6)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "PublishOrphanMetrics"], replay.ActivityTypes);
        Assert.Equal(OrphanPhaseCounts.Zero, replay.Activities[3].Arg<OrphanPhaseCounts>(1));
        var result = replay.Result<OrphanSweepResult>();
        Assert.Equal(OrphanAction.CapReached, result.Action);
        Assert.Equal(
            ["i-c1=CapReached/Unclaimed", "i-e1=CapReached/AbandonedStopped", "i-b1=CapReached/UnmanagedProfile"],
            result.Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}"));
    }

    [Fact]
    public async Task A_continuation_between_the_listings_starts_the_profile_listing_from_its_first_page()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput { PagesPerRun = 1 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(50, WithProfile, pagesPerRun: 1))
            .ActivityCompleted("ScanOrphanPage", Page(null, (OrphanPhase.Unclaimed, "i-c1")))
            .ContinuedAsNew(Type, null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        var next = replay.ContinuedAsNew!.Arg<OrphanSweepInput>().Progress!;
        Assert.Equal((OrphanListing.RunnerProfile, false, (string?)null), (next.Listing, next.ListingDone, next.NextToken));
        Assert.False(next.ScanDone);
        Assert.Equal(1, next.PhaseCounts.Unclaimed);
        Assert.Equal(["i-c1=Unclaimed"], next.Orphans.Select(o => $"{o.InstanceId}={o.Phase}"));
    }

    private static OrphanSweepPlan Plan(int cap, OrphanPhaseCutoffs phases, int pagesPerRun = 10) =>
        new(Start, OrphanPolicy.Cutoff(Start, 360, 10), 360, 10, cap, 1000, 50, pagesPerRun, 200) { Phases = phases };

    private static OrphanInstanceReport Report(string id, OrphanPhase phase, OrphanDecision decision) =>
        new(id, Start.AddDays(-1), decision, decision.ToString()) { Phase = phase };

    private static OrphanScanPage Page(string? next, params (OrphanPhase Phase, string Id)[] orphans) =>
        new(next, orphans.Length + 1, 1, orphans.Length, [.. orphans.Select(o => new OrphanCandidate(o.Id, Start.AddDays(-1), "orphan") { Phase = o.Phase })], [], OrphanKeptCounts.Zero)
        {
            PhaseCounts = orphans.Aggregate(OrphanPhaseCounts.Zero, (counts, o) => counts.Count(o.Phase)),
        };
}
