using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using static RunsFleet.Tests.Workflows.Sweeps.OrphanedJobs.OrphanedJobSweepWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.OrphanedJobs;

/// <summary>The "progress" query of OrphanedJobSweep, asked at every step of replayed histories.</summary>
public class OrphanedJobSweepProgressQueryTests
{
    [Fact]
    public async Task Counts_grow_across_statuses_and_continue_as_new_and_a_failed_batch_counts_as_errors()
    {
        var jobs = Candidates(1, 4);
        var input = new OrphanedJobSweepInput { MaxJobs = 10 };
        var first = Builder(input)
            .ActivityCompleted(Plan, PlanOf(pagesPerRun: 2, maxJobs: 10, markBatchSize: 2, statuses: ["running", "assigned"]))
            .ActivityCompleted(Page, PageOf(read: 200, gone: 2, active: 198, candidates: jobs[..2], next: Cursor(200)))
            .ActivityCompleted(Page, PageOf(read: 50, overAge: 1, active: 49, candidates: jobs[2..3]))
            .ContinuedAsNew(SweepWorkflowTypes.OrphanedJobSweep, null)
            .Build();

        var (replay, views) = await ProgressReplay.RunAsync<OrphanedJobSweepWorkflow>(first);

        Assert.Equal(
            [
                $"{Plan}: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 1 pages, 200 examined, 0/- acted, 0 errors",
                "(continue-as-new): scanning run 1, 2 pages, 250 examined, 0/- acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.Equal(["active=247"], ProgressReplay.Skipped(views[^1].View));
        Assert.All(views, v => Assert.Equal("orphaned_jobs", v.View.Sweep));

        var second = Builder(replay.ContinuedAsNew!.Arg<OrphanedJobSweepInput>())
            .ActivityCompleted(Page, PageOf(read: 10, gone: 1, active: 9, candidates: jobs[3..]))
            .ActivityFailed(Mark, "ProvisionedThroughputExceededException", "slow down")
            .ActivityCompleted(Mark, new OrphanedJobMarkResult(
                [Report(jobs[2], OrphanedJobDecision.Marked), Report(jobs[3], OrphanedJobDecision.LeftAlone)], 1, 0))
            .WorkflowCompleted(null)
            .Build();

        (replay, views) = await ProgressReplay.RunAsync<OrphanedJobSweepWorkflow>(second);

        Assert.Equal(
            [
                $"{Page}: scanning run 2, 2 pages, 250 examined, 0/- acted, 0 errors",
                $"{Mark}: acting run 2, 3 pages, 260 examined, 0/4 acted, 0 errors",
                $"{Mark}: acting run 2, 3 pages, 260 examined, 0/4 acted, 2 errors",
                "(returned): done run 2, 3 pages, 260 examined, 1/4 acted, 2 errors",
            ],
            ProgressReplay.Lines(views));
        var done = views[^1].View;
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal((result.Runs, result.Pages, result.JobsRead, result.Marked, result.MarkFailed), (done.Runs, done.PagesDone, done.Examined, (int)done.ActedOn, (int)done.Errors));
        Assert.Equal(["active=256", "changed_meanwhile=1"], ProgressReplay.Skipped(done));
        Assert.Equal(
            "done: 3 pages, 260 examined, 1/4 orphaned jobs marked, 257 skipped (active 256, changed_meanwhile 1), 2 errors, run 2",
            SweepProgress.Details(done));
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_mark()
    {
        var history = Builder(new OrphanedJobSweepInput { DryRun = true })
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 5, gone: 2, active: 3, candidates: Candidates(1, 2)))
            .WorkflowCompleted(null)
            .Build();

        var (_, views) = await ProgressReplay.RunAsync<OrphanedJobSweepWorkflow>(history);

        Assert.Equal(
            [
                $"{Plan}: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "(returned): done run 1, 1 pages, 5 examined, 2/2 acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.All(views, v => Assert.True(v.View.DryRun));
        Assert.EndsWith("(dry run)", SweepProgress.Details(views[^1].View), StringComparison.Ordinal);
    }
}
