using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using static RunsFleet.Tests.Workflows.Sweeps.StrayInstances.StrayInstanceSweepWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

/// <summary>The "progress" query of OrphanSweep, asked at every step of replayed histories.</summary>
public class StrayInstanceSweepProgressQueryTests
{
    private const string Type = SweepWorkflowTypes.OrphanSweep;

    [Fact]
    public async Task Counts_grow_page_by_page_and_carry_over_continue_as_new()
    {
        var first = new HistoryBuilder(Type, new StrayInstanceSweepInput { PagesPerRun = 2 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 50, batch: 1, pagesPerRun: 2))
            .ActivityCompleted("ScanOrphanPage", Page("t1", scanned: 1000, young: 990, orphans: ["i-o1"], kept: [Kept("i-busy", StrayInstanceDecision.ActiveJob)]))
            .ActivityCompleted("ScanOrphanPage", Page("t2", scanned: 1000, young: 995, orphans: ["i-o2"], kept: [Kept("i-keep", StrayInstanceDecision.Protected)]))
            .ContinuedAsNew(Type, null)
            .Build();

        var (replay, views) = await ProgressReplay.RunAsync<StrayInstanceSweepWorkflow>(first);

        Assert.Equal(
            [
                "PlanOrphanSweep: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "ScanOrphanPage: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "ScanOrphanPage: scanning run 1, 1 pages, 1000 examined, 0/- acted, 0 errors",
                "(continue-as-new): scanning run 1, 2 pages, 2000 examined, 0/- acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.Equal(["young=1985", "active_job=1", "protected=1"], ProgressReplay.Skipped(views[^1].View));
        Assert.All(views, v => Assert.Equal(("orphaned_instances", false), (v.View.Sweep, v.View.DryRun)));

        // The next run starts from the continuation this run handed over.
        var next = replay.ContinuedAsNew!.Arg<StrayInstanceSweepInput>();
        var second = new HistoryBuilder(Type, next, startTime: Start.AddMinutes(30))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 10, young: 9, orphans: ["i-o3"]))
            .ActivityFailed("TerminateOrphans", "UnauthorizedOperation", "not allowed to terminate")
            .ActivityCompleted("TerminateOrphans", Terminated("i-o2"))
            .ActivityCompleted("TerminateOrphans", new StrayInstanceTerminateResult([Kept("i-o3", StrayInstanceDecision.ActiveJob)]))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        (replay, views) = await ProgressReplay.RunAsync<StrayInstanceSweepWorkflow>(second);

        Assert.Equal(
            [
                "ScanOrphanPage: scanning run 2, 2 pages, 2000 examined, 0/- acted, 0 errors",
                "TerminateOrphans: acting run 2, 3 pages, 2010 examined, 0/3 acted, 0 errors",
                "TerminateOrphans: acting run 2, 3 pages, 2010 examined, 0/3 acted, 1 errors",
                "TerminateOrphans: acting run 2, 3 pages, 2010 examined, 1/3 acted, 1 errors",
                "PublishOrphanMetrics: publishing run 2, 3 pages, 2010 examined, 1/3 acted, 1 errors",
                "(returned): done run 2, 3 pages, 2010 examined, 1/3 acted, 1 errors",
            ],
            ProgressReplay.Lines(views));
        var done = views[^1].View;
        var result = replay.Result<StrayInstanceSweepResult>();
        Assert.Equal((result.Runs, result.Pages, result.Scanned, (long)result.Terminated), (done.Runs, done.PagesDone, done.Examined, done.ActedOn));
        Assert.Equal(["young=1994", "active_job=2", "protected=1"], ProgressReplay.Skipped(done));
        Assert.Equal(
            "done: 3 pages, 2,010 examined, 1/3 orphans terminated, 1,997 skipped (young 1,994, active_job 2, protected 1), 1 errors, run 2",
            SweepProgress.Details(done));
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_terminate_and_never_publishes()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput { DryRun = true, MaxTerminations = 5 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 5))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 10, young: 6, orphans: ["i-o1", "i-o2"], kept: [Kept("i-busy", StrayInstanceDecision.LookupFailed)]))
            .WorkflowCompleted(null)
            .Build();

        var (_, views) = await ProgressReplay.RunAsync<StrayInstanceSweepWorkflow>(history);

        Assert.Equal(
            [
                "PlanOrphanSweep: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "ScanOrphanPage: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "(returned): done run 1, 1 pages, 10 examined, 2/2 acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.All(views, v => Assert.True(v.View.DryRun));
        Assert.Equal(["young=6", "lookup_failed=1"], ProgressReplay.Skipped(views[^1].View));
        Assert.Equal(
            "done: 1 pages, 10 examined, 2/2 orphans would be terminated, 7 skipped (young 6, lookup_failed 1), 0 errors (dry run)",
            SweepProgress.Details(views[^1].View));
    }

    [Fact]
    public async Task Over_the_cap_every_orphan_is_skipped_as_cap_reached()
    {
        var history = new HistoryBuilder(Type, new StrayInstanceSweepInput { MaxTerminations = 1 }, startTime: Start)
            .ActivityCompleted("PlanOrphanSweep", Plan(cap: 1))
            .ActivityCompleted("ScanOrphanPage", Page(null, scanned: 100, young: 97, orphans: ["i-o1", "i-o2"], orphanCount: 3))
            .ActivityCompleted("PublishOrphanMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var (_, views) = await ProgressReplay.RunAsync<StrayInstanceSweepWorkflow>(history);

        Assert.Equal(
            [
                "PlanOrphanSweep: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "ScanOrphanPage: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "PublishOrphanMetrics: publishing run 1, 1 pages, 100 examined, 0/0 acted, 0 errors",
                "(returned): done run 1, 1 pages, 100 examined, 0/0 acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.Equal(["young=97", "cap_reached=3"], ProgressReplay.Skipped(views[^1].View));
    }
}
