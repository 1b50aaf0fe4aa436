using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.JobArchive;
using static RunsFleet.Tests.Workflows.Sweeps.JobArchive.JobArchiveWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.JobArchive;

/// <summary>The "progress" query of OldJobArchival, asked at every step of replayed histories.</summary>
public class JobArchiveProgressQueryTests
{
    [Fact]
    public async Task Counts_grow_across_statuses_and_continue_as_new_and_unprocessed_records_are_errors()
    {
        var first = Builder(new JobArchiveInput())
            .ActivityCompleted(Settings, SettingsOf(bucket: null, pagesPerRun: 3))
            .ActivityCompleted(Page, PageOf(matched: 3, cursor: Cursor("completed", 3)) with { Deleted = 2, Skipped = 1, UnprocessedJobIds = ["7"] })
            .ActivityCompleted(Page, PageOf(matched: 1))
            .ActivityCompleted(Page, PageOf(matched: 2))
            .ContinuedAsNew(SweepWorkflowTypes.OldJobArchival, null)
            .Build();

        var (replay, views) = await ProgressReplay.RunAsync<JobArchiveWorkflow>(first);

        Assert.Equal(
            [
                $"{Settings}: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 1 pages, 4 examined, 2/- acted, 1 errors",
                $"{Page}: scanning run 1, 2 pages, 5 examined, 3/- acted, 1 errors",
                "(continue-as-new): scanning run 1, 3 pages, 7 examined, 5/- acted, 1 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.Equal(["not_before_cutoff=1"], ProgressReplay.Skipped(views[^1].View));
        Assert.All(views, v => Assert.Equal("old_jobs", v.View.Sweep));

        // The next run reads the remaining statuses (timeout, interrupted, orphaned).
        var second = Builder(replay.ContinuedAsNew!.Arg<JobArchiveInput>())
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 4))
            .WorkflowCompleted(null)
            .Build();

        (replay, views) = await ProgressReplay.RunAsync<JobArchiveWorkflow>(second);

        Assert.Equal(
            [
                $"{Page}: scanning run 2, 3 pages, 7 examined, 5/- acted, 1 errors",
                $"{Page}: scanning run 2, 4 pages, 7 examined, 5/- acted, 1 errors",
                $"{Page}: scanning run 2, 5 pages, 7 examined, 5/- acted, 1 errors",
                "(returned): done run 2, 6 pages, 11 examined, 9/- acted, 1 errors",
            ],
            ProgressReplay.Lines(views));
        var result = replay.Result<JobArchiveResult>();
        var done = views[^1].View;
        Assert.Equal((result.Runs, result.Pages, result.RecordsDeleted, result.UnprocessedCount), (done.Runs, done.PagesDone, done.ActedOn, done.Errors));
        Assert.Equal(result.RecordsMatched + result.RecordsSkipped, done.Examined);
    }

    [Fact]
    public async Task A_dry_run_counts_the_records_it_would_archive()
    {
        var history = Builder(new JobArchiveInput { DryRun = true })
            .ActivityCompleted(Settings, SettingsOf(bucket: "archive-bucket"))
            .ActivityCompleted(Page, PageOf(matched: 3, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 1, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 0, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 0, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 2, dryRun: true))
            .WorkflowCompleted(null)
            .Build();

        var (_, views) = await ProgressReplay.RunAsync<JobArchiveWorkflow>(history);

        Assert.Equal("(returned): done run 1, 5 pages, 6 examined, 6/- acted, 0 errors", ProgressReplay.Lines(views).Last());
        Assert.Equal([SweepPhases.Planning, SweepPhases.Scanning, SweepPhases.Done], views.Select(v => v.View.Phase).Distinct());
        Assert.All(views, v => Assert.True(v.View.DryRun));
        Assert.Contains("6 old jobs would be archived", SweepProgress.Details(views[^1].View), StringComparison.Ordinal);
    }
}
