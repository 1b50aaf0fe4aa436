using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using static RunsFleet.Tests.Workflows.Sweeps.PoolAudit.PoolAuditWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.PoolAudit;

/// <summary>PoolAuditResult.ToView: the finished audit as the "progress" view.</summary>
public class PoolAuditProgressViewTests
{
    [Fact]
    public void The_pools_reported_are_acted_on_and_untracked_instances_skipped()
    {
        var summary = Summary("reports/k.md", 4, Linux, Arm);
        var result = new PoolAuditResult(true, null, summary.Totals, 3, 0, 12, 4);

        var view = result.ToView();

        Assert.Equal(("pool_audit", SweepPhases.Done, true, 1, 4), (view.Sweep, view.Phase, view.DryRun, view.Runs, view.PagesDone));
        Assert.Equal((12L, 2L, (long?)2, 0L), (view.Examined, view.ActedOn, view.ActTarget, view.Errors));
        Assert.Equal(["untracked=3"], view.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
    }
}
