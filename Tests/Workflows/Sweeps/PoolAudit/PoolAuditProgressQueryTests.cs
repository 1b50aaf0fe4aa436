using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using static RunsFleet.Tests.Workflows.Sweeps.PoolAudit.PoolAuditWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.PoolAudit;

/// <summary>The "progress" query of PoolAudit: one activity, so scanning while it runs, then done.</summary>
public class PoolAuditProgressQueryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scanning_while_the_audit_runs_then_done_with_its_totals(bool dryRun)
    {
        var summary = Summary(dryRun ? null : "reports/k.md", 0, Linux, Arm) with { InstancesScanned = 5, Pages = 3, UntrackedInstances = 1 };
        var history = new HistoryBuilder(SweepWorkflowTypes.PoolAudit, new PoolAuditInput { DryRun = dryRun }, startTime: Start)
            .ActivityCompleted("AuditPools", summary)
            .WorkflowCompleted(null)
            .Build();

        var (replay, views) = await ProgressReplay.RunAsync<PoolAuditWorkflow>(history);

        Assert.Equal(
            [
                "AuditPools: scanning run 1, 0 pages, 0 examined, 0/- acted, 0 errors",
                "(returned): done run 1, 3 pages, 5 examined, 2/2 acted, 0 errors",
            ],
            ProgressReplay.Lines(views));
        Assert.All(views, v => Assert.Equal(("pool_audit", dryRun), (v.View.Sweep, v.View.DryRun)));
        Assert.Equal(["untracked=1"], ProgressReplay.Skipped(views[^1].View));
        Assert.Equal(SweepProgress.Details(replay.Result<PoolAuditResult>().ToView()), SweepProgress.Details(views[^1].View));
    }
}
