using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

public class StrayInstanceSweepWorkflowReplayTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;
    internal static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = StrayInstancePolicy.Cutoff(Start, 360, 10);

    [Fact]
    public async Task Dry_run_scans_and_reports_without_terminating_or_publishing()
    {
        var input = new StrayInstanceSweepInput { DryRun = true, MaxRuntimeMinutes = 360, MaxTerminations = 5 };
        var history = new HistoryBuilder(Type, input, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 5))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 10, young: 6, orphans: ["i-o1", "i-o2"], kept: [Kept("i-busy", StrayInstanceDecision.ActiveJob)]))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage"], replay.ActivityTypes);
        var planRequest = replay.Activities[0].Arg<StrayInstancePlanRequest>();
        Assert.InRange(planRequest.Now, Start, Start.AddSeconds(1));
        Assert.Equal((360, 5), (planRequest.MaxRuntimeMinutes, planRequest.MaxTerminations));
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.True(result.DryRun);
        Assert.Equal(SweepAction.DryRun, result.Action);
        Assert.Equal(0, result.Terminated);
        Assert.Equal((10L, 6L, 4L, 2L), (result.Scanned, result.Young, result.Candidates, result.OrphansFound));
        Assert.Equal(["i-o1=DryRun", "i-o2=DryRun", "i-busy=ActiveJob"], result.Instances.Select(i => $"{i.InstanceId}={i.Decision}"));
        Assert.Contains("would terminate", result.Instances[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_orphans_than_the_cap_terminates_nothing_and_says_so()
    {
        var input = new StrayInstanceSweepInput { MaxTerminations = 2 };
        var history = new HistoryBuilder(Type, input, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 2))
            .ActivityCompleted("ScanOrphanPage", Page("t1", scanned: 1000, young: 998, orphans: ["i-o1", "i-o2"]))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 500, young: 498, orphans: ["i-o3"], orphanCount: 2))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "PublishOrphanMetrics"], replay.ActivityTypes);
        var secondScan = replay.Activities[2].Arg<StrayInstanceScanRequest>();
        Assert.Equal("t1", secondScan.NextToken);
        Assert.Equal(1, secondScan.OrphanIdLimit);
        Assert.Equal(Cutoff, secondScan.Cutoff);
        Assert.Equal(0, replay.Activities[3].Arg<int>());
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(SweepAction.CapReached, result.Action);
        Assert.Equal(4, result.OrphansFound);
        Assert.Equal(0, result.Terminated);
        Assert.All(result.Instances, i => Assert.Equal(StrayInstanceDecision.CapReached, i.Decision));
        Assert.Equal(3, result.Instances.Count);
        Assert.Equal(1, result.UnlistedInstances);
        Assert.Contains("exceed the cap of 2", result.Instances[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_lookups_are_kept_and_only_orphans_go_to_termination_in_batches()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 50, batch: 2))
            .ActivityCompleted("ScanOrphanPage", Page("t1", scanned: 5, young: 1, orphans: ["i-o1", "i-o2"], kept: [Kept("i-unsure", StrayInstanceDecision.LookupFailed)]))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 2, young: 1, orphans: ["i-o3"]))
            .ActivityCompleted("TerminateOrphans", Terminated("i-o1", "i-o2"))
            .ActivityCompleted("TerminateOrphans", new StrayInstanceTerminateResult([new StrayInstanceReport("i-o3", Start.AddDays(-1), StrayInstanceDecision.ActiveJob, "assigned a job since the scan")]))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(
            ["PlanOrphanSweep", "ScanOrphanPage", "ScanOrphanPage", "TerminateOrphans", "TerminateOrphans", "PublishOrphanMetrics"],
            replay.ActivityTypes);
        Assert.Equal(["i-o1", "i-o2"], replay.Activities[3].Arg<StrayInstanceTerminateRequest>().Orphans.Select(o => o.InstanceId));
        Assert.Equal(["i-o3"], replay.Activities[4].Arg<StrayInstanceTerminateRequest>().Orphans.Select(o => o.InstanceId));
        Assert.Equal(2, replay.Activities[5].Arg<int>());
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(SweepAction.Act, result.Action);
        Assert.Equal(2, result.Terminated);
        Assert.Equal(
            ["i-o1=Terminated", "i-o2=Terminated", "i-o3=ActiveJob", "i-unsure=LookupFailed"],
            result.Instances.Select(i => $"{i.InstanceId}={i.Decision}"));
        Assert.Equal(1, result.Kept.LookupFailed);
    }

    [Fact]
    public async Task A_batch_that_fails_for_good_is_reported_and_the_sweep_still_finishes()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 50, batch: 1))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 2, young: 0, orphans: ["i-o1", "i-o2"]))
            .ActivityFailed("TerminateOrphans", "UnauthorizedOperation", "not allowed to terminate")
            .ActivityCompleted("TerminateOrphans", Terminated("i-o2"))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal(1, result.Terminated);
        var failed = result.Instances.Single(i => i.InstanceId == "i-o1");
        Assert.Equal(StrayInstanceDecision.TerminateFailed, failed.Decision);
        Assert.Contains("not allowed to terminate", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, replay.Activities[^1].Arg<int>());
    }

    [Fact]
    public async Task Continues_as_new_after_the_page_budget_with_the_scan_so_far()
    {
        var input = new StrayInstanceSweepInput { PagesPerRun = 2 };
        var history = new HistoryBuilder(Type, input, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 50, pagesPerRun: 2))
            .ActivityCompleted("ScanOrphanPage", Page("t1", scanned: 1000, young: 999, orphans: ["i-o1"]))
            .ActivityCompleted("ScanOrphanPage", Page("t2", scanned: 1000, young: 1000, orphans: []))
            .ContinuedAsNew(Type, null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(2, replay.Activities[0].Arg<StrayInstancePlanRequest>().PagesPerRun);
        Assert.Equal(Type, replay.ContinuedAsNew!.WorkflowType);
        var next = replay.ContinuedAsNew.Arg<StrayInstanceSweepInput>();
        Assert.Equal(2, next.PagesPerRun);
        var progress = SweepContinuation.Read<StrayInstanceSweepContinuation>(next.Continuation)!;
        Assert.Equal(("t2", 2, 2, 2000L, 1L), (progress.NextToken, progress.Pages, progress.Runs, progress.Scanned, progress.OrphanCount));
        Assert.Equal(["i-o1"], progress.Orphans.Select(o => o.InstanceId));
        Assert.Equal(Cutoff, progress.Plan.Cutoff);
    }

    [Fact]
    public async Task A_continued_run_resumes_from_the_token_with_the_original_cutoff()
    {
        var progress = StrayInstanceSweepContinuation.Start(Plan(cap: 50, pagesPerRun: 2))
            .Add(Page("t1", scanned: 1000, young: 999, orphans: ["i-o1"]))
            .Add(Page("t2", scanned: 1000, young: 1000, orphans: [])) with
        { Runs = 2 };
        var input = new StrayInstanceSweepInput { PagesPerRun = 2, Continuation = SweepContinuation.Write(progress) };
        var history = new HistoryBuilder(Type, input, startTime: Start.AddMinutes(30))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 10, young: 9, orphans: ["i-o2"]))
            .ActivityCompleted("TerminateOrphans", Terminated("i-o1", "i-o2"))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["ScanOrphanPage", "TerminateOrphans", "PublishOrphanMetrics"], replay.ActivityTypes);
        var scan = replay.Activities[0].Arg<StrayInstanceScanRequest>();
        Assert.Equal(("t2", Cutoff), (scan.NextToken, scan.Cutoff));
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal((2010L, 3, 2, 2), (result.Scanned, result.Pages, result.Runs, result.Terminated));
        Assert.Equal(Start, result.Now);
    }

    [Fact]
    public async Task Skipping_the_termination_phase_is_caught_by_replay()
    {
        // A history recorded by code that never terminated must not replay against this code.
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput(), startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 50))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 1, young: 0, orphans: ["i-o1"]))
            .ActivityCompleted("PublishOrphanMetrics", 0)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<StrayInstanceSweepWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replayed without failure");
    }

    internal static StrayInstanceSweepPlan Plan(int cap, int batch = 50, int pagesPerRun = 10) =>
        new StrayInstanceSweepPlan
        {
            Now = Start,
            Cutoff = Cutoff,
            MaxRuntimeMinutes = 360,
            BufferMinutes = 10,
            MaxTerminations = cap,
            PageSize = 1000,
            TerminateBatchSize = batch,
            PagesPerRun = pagesPerRun,
            MaxListedInstances = 200,
        };

    internal static StrayInstanceReport Kept(string id, StrayInstanceDecision decision) =>
        new(id, Start.AddDays(-1), decision, decision.ToString());

    internal static StrayInstanceTerminateResult Terminated(params string[] ids) =>
        new([.. ids.Select(id => new StrayInstanceReport(id, Start.AddDays(-1), StrayInstanceDecision.Terminated, "no active job"))]);

    internal static StrayInstanceScanPage Page(string? next, int scanned, int young, string[] orphans, StrayInstanceReport[]? kept = null, int? orphanCount = null)
    {
        kept ??= [];
        var counts = kept.Aggregate(StrayInstanceKeptCounts.Zero, (c, k) => c.Count(k.Decision switch
        {
            StrayInstanceDecision.ActiveJob => StrayInstanceVerdict.ActiveJob,
            StrayInstanceDecision.Protected => StrayInstanceVerdict.Protected,
            StrayInstanceDecision.MissingLaunchTime => StrayInstanceVerdict.MissingLaunchTime,
            _ => StrayInstanceVerdict.LookupFailed,
        }));
        return new StrayInstanceScanPage(
            next,
            scanned,
            young,
            orphanCount ?? orphans.Length,
            [.. orphans.Select(id => new StrayInstanceCandidate(id, Start.AddDays(-1), "no active job"))],
            kept,
            counts);
    }
}
