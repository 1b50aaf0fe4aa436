using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using static RunsFleet.Tests.Workflows.Sweeps.StaleSsm.StaleSsmSweepWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.StaleSsm;

/// <summary>The "progress" query of StaleSsmSweep, asked at every step of replayed histories.</summary>
public class StaleSsmSweepProgressQueryTests
{
    [Fact]
    public async Task Counts_grow_page_by_page_and_carry_over_continue_as_new()
    {
        var input = new StaleSsmSweepInput();
        var first = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 2))
            .ActivityCompleted(Page, PageOf(deleted: 45, next: "t1", stale: 47) with { Stale = 47, AlreadyGone = 2, KeptYoung = 3 })
            .ActivityCompleted(Page, PageOf(deleted: 40, next: "t2") with { KeptInstanceAlive = 10 })
            .ContinuedAsNew(SweepWorkflowTypes.StaleSsmSweep, null)
            .Build();

        var (replay, views) = await ProgressReplay.RunAsync<StaleSsmSweepWorkflow>(first);

        Assert.Equal(
            [
                $"{Settings}: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 1 pages, 50 examined, 45/- acted, 0 errors",
                "(continue-as-new): scanning run 1, 2 pages, 100 examined, 85/- acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.Equal(["young=3", "instance_alive=10", "already_gone=2"], ProgressReplay.Skipped(views[^1].View));
        Assert.All(views, v => Assert.Equal(("stale_ssm", false), (v.View.Sweep, v.View.DryRun)));

        var second = Builder(replay.ContinuedAsNew!.Arg<StaleSsmSweepInput>())
            .ActivityCompleted(Page, PageOf(deleted: 7, next: null))
            .WorkflowCompleted(null)
            .Build();

        (replay, views) = await ProgressReplay.RunAsync<StaleSsmSweepWorkflow>(second);

        Assert.Equal(
            [
                $"{Page}: scanning run 2, 2 pages, 100 examined, 85/- acted, 0 errors",
                "(returned): done run 2, 3 pages, 150 examined, 92/- acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        var result = replay.Result<StaleSsmSweepResult>();
        var done = views[^1].View;
        Assert.Equal((result.Runs, result.Pages, result.ParametersListed, result.ParametersDeleted), (done.Runs, done.PagesDone, done.Examined, done.ActedOn));
        Assert.Equal(
            "done: 3 pages, 150 examined, 92 stale parameters deleted, 15 skipped (young 3, instance_alive 10, already_gone 2), 0 errors, run 2",
            SweepProgress.Details(done));
    }

    [Fact]
    public async Task A_dry_run_counts_the_stale_parameters_it_would_delete()
    {
        var history = Builder(new StaleSsmSweepInput { DryRun = true })
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 10))
            .ActivityCompleted(Page, PageOf(deleted: 0, next: null, stale: 4) with { Unparseable = 1 })
            .WorkflowCompleted(null)
            .Build();

        var (_, views) = await ProgressReplay.RunAsync<StaleSsmSweepWorkflow>(history);

        Assert.Equal(
            [
                $"{Settings}: planning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                $"{Page}: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "(returned): done run 1, 1 pages, 50 examined, 4/- acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.All(views, v => Assert.True(v.View.DryRun));
        Assert.Equal(["unparseable=1"], ProgressReplay.Skipped(views[^1].View));
        Assert.Contains("4 stale parameters would be deleted", SweepProgress.Details(views[^1].View), StringComparison.Ordinal);
    }
}
