using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.Orphans;

namespace RunsFleet.Tests.Sweeps.Orphans;

/// <summary>
/// Phase f's third listing is gated by <see cref="WorkflowPatches.OrphanPackerBuilders"/>: histories
/// written before it (or planned by a newer worker under older workflow code: phase f in the plan, no
/// marker) replay with two listings; runs with the marker read the builders' listing last.
/// </summary>
public class OrphanSweepBuilderReplayTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    private static readonly OrphanPhaseCutoffs BeforePhaseF = new OrphanSweepOptions { RunnerInstanceProfile = "runner", PackerEnabled = false }.PhaseCutoffs(Start);
    private static readonly OrphanPhaseCutoffs WithPhaseF = new OrphanSweepOptions { RunnerInstanceProfile = "runner" }.PhaseCutoffs(Start);

    public static TheoryData<bool> PlannedWithPhaseF => [false, true];

    [Theory]
    [MemberData(nameof(PlannedWithPhaseF))]
    public async Task A_history_without_the_marker_replays_with_two_listings(bool plannedWithPhaseF)
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(plannedWithPhaseF ? WithPhaseF : BeforePhaseF))
            .ActivityCompleted("ScanOrphanPage", Page((OrphanPhase.Unclaimed, "i-c1")))
            .ActivityCompleted("ScanOrphanPage", Page((OrphanPhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("TerminateOrphans", Outcomes(("i-c1", OrphanPhase.Unclaimed), ("i-b1", OrphanPhase.UnmanagedProfile)))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        var result = replay.Result<OrphanSweepResult>();
        Assert.Equal((2L, 2, 0L), (result.OrphansFound, result.Terminated, result.OrphansByPhase.PackerBuilder));
    }

    [Fact]
    public async Task A_run_with_the_marker_reads_the_builders_last_and_counts_phase_f_apart()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page((OrphanPhase.MaxRuntime, "i-a1")))
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page((OrphanPhase.PackerBuilder, "i-f1"), (OrphanPhase.PackerBuilder, "i-f2")))
            .ActivityCompleted("TerminateOrphans", new OrphanTerminateResult([
                Outcome("i-a1", OrphanPhase.MaxRuntime, OrphanDecision.Terminated),
                Outcome("i-f1", OrphanPhase.PackerBuilder, OrphanDecision.Terminated),
                Outcome("i-f2", OrphanPhase.PackerBuilder, OrphanDecision.TerminationProtected),
            ]))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(
            ["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        Assert.Equal(
            [OrphanListing.Managed, OrphanListing.RunnerProfile, OrphanListing.PackerBuilders],
            replay.Activities.Skip(1).Take(3).Select(a => a.Arg<OrphanScanRequest>().Listing));
        Assert.Null(replay.Activities[3].Arg<OrphanScanRequest>().NextToken);
        Assert.Equal(new OrphanPhaseCounts(MaxRuntime: 1, PackerBuilder: 1), replay.Activities[5].Arg<OrphanPhaseCounts>(1));
        var result = replay.Result<OrphanSweepResult>();
        Assert.Equal(new OrphanPhaseCounts(MaxRuntime: 1, PackerBuilder: 2), result.OrphansByPhase);
        Assert.Equal((1L, 2), (result.TerminatedByPhase.PackerBuilder, result.Terminated));
        Assert.Equal("i-f2=TerminationProtected", $"{result.Instances[2].InstanceId}={result.Instances[2].Decision}");
        Assert.Contains("packer builder 2", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_with_the_marker_reports_builders_without_terminating()
    {
        var history = new HistoryBuilder(Type, new OrphanSweepInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page((OrphanPhase.PackerBuilder, "i-f1")))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "ScanOrphanPage"], replay.ActivityTypes);
        Assert.Equal("i-f1=DryRun/PackerBuilder", replay.Result<OrphanSweepResult>().Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}").Single());
    }

    [Fact]
    public async Task The_choice_travels_across_continue_as_new_and_old_continuations_keep_two_listings()
    {
        var first = new HistoryBuilder(Type, new OrphanSweepInput { PagesPerRun = 2 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF, pagesPerRun: 2))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page())
            .ContinuedAsNew(Type, null)
            .Build();

        var next = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(first)).EnsureReplayed().ContinuedAsNew!.Arg<OrphanSweepInput>().Progress!;

        Assert.Equal((OrphanListing.PackerBuilders, false, true), (next.Listing, next.ListingDone, next.ListsPackerBuilders));
        Assert.False(next.ScanDone);

        // A continuation written before phase f: same place, no flag: the scan is over after the profile listing.
        var old = next with { Listing = OrphanListing.RunnerProfile, ListingDone = true, ListsPackerBuilders = false };
        var continued = new HistoryBuilder(Type, new OrphanSweepInput { Progress = old }, startTime: Start.AddMinutes(5))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();
        var replay = (await ReplayHarness.ReplayAsync<OrphanSweepWorkflow>(continued)).EnsureReplayed();
        Assert.Equal(["PublishOrphanMetrics"], replay.ActivityTypes);
    }

    private static OrphanSweepPlan Plan(OrphanPhaseCutoffs phases, int pagesPerRun = 10) =>
        new(Start, OrphanPolicy.Cutoff(Start, 360, 10), 360, 10, 50, 1000, 50, pagesPerRun, 200) { Phases = phases };

    private static OrphanScanPage Page(params (OrphanPhase Phase, string Id)[] orphans) =>
        new(null, orphans.Length + 1, 1, orphans.Length, [.. orphans.Select(o => new OrphanCandidate(o.Id, Start.AddDays(-1), "orphan") { Phase = o.Phase })], [], OrphanKeptCounts.Zero)
        {
            PhaseCounts = orphans.Aggregate(OrphanPhaseCounts.Zero, (counts, o) => counts.Count(o.Phase)),
        };

    private static OrphanTerminateResult Outcomes(params (string Id, OrphanPhase Phase)[] terminated) =>
        new([.. terminated.Select(t => Outcome(t.Id, t.Phase, OrphanDecision.Terminated))]);

    private static OrphanInstanceReport Outcome(string id, OrphanPhase phase, OrphanDecision decision) =>
        new(id, Start.AddDays(-1), decision, decision.ToString()) { Phase = phase };
}
