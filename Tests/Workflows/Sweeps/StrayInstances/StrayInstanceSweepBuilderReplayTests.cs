using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

/// <summary>
/// Phase f's third listing is gated by <see cref="WorkflowPatches.OrphanPackerBuilders"/>: histories
/// written before it (or planned by a newer worker under older workflow code: phase f in the plan, no
/// marker) replay with two listings; runs with the marker read the builders' listing last.
/// </summary>
public class StrayInstanceSweepBuilderReplayTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    private static readonly StrayInstancePhaseCutoffs BeforePhaseF = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runner", PackerEnabled = false }.PhaseCutoffs(Start);
    private static readonly StrayInstancePhaseCutoffs WithPhaseF = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runner" }.PhaseCutoffs(Start);

    public static TheoryData<bool> PlannedWithPhaseF => [false, true];

    [Theory]
    [MemberData(nameof(PlannedWithPhaseF))]
    public async Task A_history_without_the_marker_replays_with_two_listings(bool plannedWithPhaseF)
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(plannedWithPhaseF ? WithPhaseF : BeforePhaseF))
            .ActivityCompleted("ScanOrphanPage", Page((StrayInstancePhase.Unclaimed, "i-c1")))
            .ActivityCompleted("ScanOrphanPage", Page((StrayInstancePhase.UnmanagedProfile, "i-b1")))
            .ActivityCompleted("TerminateOrphans", Outcomes(("i-c1", StrayInstancePhase.Unclaimed), ("i-b1", StrayInstancePhase.UnmanagedProfile)))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal((2L, 2, 0L), (result.OrphansFound, result.Terminated, result.OrphansByPhase.PackerBuilder));
    }

    [Fact]
    public async Task A_run_with_the_marker_reads_the_builders_last_and_counts_phase_f_apart()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page((StrayInstancePhase.MaxRuntime, "i-a1")))
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page((StrayInstancePhase.PackerBuilder, "i-f1"), (StrayInstancePhase.PackerBuilder, "i-f2")))
            .ActivityCompleted("TerminateOrphans", new StrayInstanceTerminateResult([
                Outcome("i-a1", StrayInstancePhase.MaxRuntime, StrayInstanceDecision.Terminated),
                Outcome("i-f1", StrayInstancePhase.PackerBuilder, StrayInstanceDecision.Terminated),
                Outcome("i-f2", StrayInstancePhase.PackerBuilder, StrayInstanceDecision.TerminationProtected),
            ]))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(
            ["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        Assert.Equal(
            [StrayInstanceListing.Managed, StrayInstanceListing.RunnerProfile, StrayInstanceListing.PackerBuilders],
            replay.Activities.Skip(1).Take(3).Select(a => a.Arg<StrayInstanceScanRequest>().Listing));
        Assert.Null(replay.Activities[3].Arg<StrayInstanceScanRequest>().NextToken);
        Assert.Equal(new StrayInstancePhaseCounts(MaxRuntime: 1, PackerBuilder: 1), replay.Activities[5].Arg<StrayInstancePhaseCounts>(1));
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(new StrayInstancePhaseCounts(MaxRuntime: 1, PackerBuilder: 2), result.OrphansByPhase);
        Assert.Equal((1L, 2), (result.TerminatedByPhase.PackerBuilder, result.Terminated));
        Assert.Equal("i-f2=TerminationProtected", $"{result.Instances[2].InstanceId}={result.Instances[2].Decision}");
        Assert.Contains("packer builder 2", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_with_the_marker_reports_builders_without_terminating()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page((StrayInstancePhase.PackerBuilder, "i-f1")))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "ScanOrphanPage"], replay.ActivityTypes);
        Assert.Equal("i-f1=DryRun/PackerBuilder", replay.Result<StrayInstanceSweepResult>().Instances.Select(i => $"{i.InstanceId}={i.Decision}/{i.Phase}").Single());
    }

    [Fact]
    public async Task The_choice_travels_across_continue_as_new_and_old_continuations_keep_two_listings()
    {
        var first = new HistoryBuilder(Type, new StrayInstanceSweepInput { PagesPerRun = 2 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(WithPhaseF, pagesPerRun: 2))
            .PatchMarker(WorkflowPatches.OrphanPackerBuilders)
            .ActivityCompleted("ScanOrphanPage", Page())
            .ActivityCompleted("ScanOrphanPage", Page())
            .ContinuedAsNew(Type, null)
            .Build();

        var replayed = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(first)).EnsureReplayed();
        var next = SweepContinuation.Read<StrayInstanceSweepContinuation>(
            replayed.ContinuedAsNew!.Arg<StrayInstanceSweepInput>().Continuation)!;

        Assert.Equal((StrayInstanceListing.PackerBuilders, false, true), (next.Listing, next.ListingDone, next.ListsPackerBuilders));
        Assert.False(next.ScanDone);

        // A continuation written before phase f: same place, no flag: the scan is over after the profile listing.
        var old = next with { Listing = StrayInstanceListing.RunnerProfile, ListingDone = true, ListsPackerBuilders = false };
        var continued = new HistoryBuilder(Type, new StrayInstanceSweepInput { Continuation = SweepContinuation.Write(old) }, startTime: Start.AddMinutes(5))
            .ActivityCompleted("PublishOrphanMetrics", 7)
            .WorkflowCompleted(null)
            .Build();
        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(continued)).EnsureReplayed();
        Assert.Equal(["PublishOrphanMetrics"], replay.ActivityTypes);
    }

    private static StrayInstanceSweepPlan Plan(StrayInstancePhaseCutoffs phases, int pagesPerRun = 10) =>
        new StrayInstanceSweepPlan
        {
            Now = Start,
            Cutoff = StrayInstancePolicy.Cutoff(Start, 360, 10),
            MaxRuntimeMinutes = 360,
            BufferMinutes = 10,
            MaxTerminations = 50,
            PageSize = 1000,
            TerminateBatchSize = 50,
            PagesPerRun = pagesPerRun,
            MaxListedInstances = 200,
            Phases = phases,
        };

    private static StrayInstanceScanPage Page(params (StrayInstancePhase Phase, string Id)[] orphans) =>
        new(null, orphans.Length + 1, 1, orphans.Length, [.. orphans.Select(o => new StrayInstanceCandidate(o.Id, Start.AddDays(-1), "orphan") { Phase = o.Phase })], [], StrayInstanceKeptCounts.Zero)
        {
            PhaseCounts = orphans.Aggregate(StrayInstancePhaseCounts.Zero, (counts, o) => counts.Count(o.Phase)),
        };

    private static StrayInstanceTerminateResult Outcomes(params (string Id, StrayInstancePhase Phase)[] terminated) =>
        new([.. terminated.Select(t => Outcome(t.Id, t.Phase, StrayInstanceDecision.Terminated))]);

    private static StrayInstanceReport Outcome(string id, StrayInstancePhase phase, StrayInstanceDecision decision) =>
        new(id, Start.AddDays(-1), decision, decision.ToString()) { Phase = phase };
}
