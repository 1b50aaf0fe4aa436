using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using static RunsFleet.Tests.Workflows.Sweeps.StrayInstances.StrayInstanceSweepWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

/// <summary>StrayInstanceSweepContinuation.ToView: the scan state as the "progress" view.</summary>
public class StrayInstanceSweepProgressViewTests
{
    private static readonly StrayInstanceSweepContinuation Scanned = StrayInstanceSweepContinuation.Start(Plan(cap: 3))
        .Add(Page("t1", scanned: 100, young: 90, orphans: ["i-o1", "i-o2"], kept: [Kept("i-a", StrayInstanceDecision.ActiveJob), Kept("i-p", StrayInstanceDecision.Protected)]))
        .Add(Page(null, scanned: 50, young: 45, orphans: ["i-o3"], kept: [Kept("i-l", StrayInstanceDecision.LookupFailed), Kept("i-m", StrayInstanceDecision.MissingLaunchTime)])) with
    { Runs = 2 };

    [Fact]
    public void Scanning_counts_pages_examined_and_every_skip_reason()
    {
        var view = Scanned.ToView(dryRun: false);

        Assert.Equal(("orphaned_instances", SweepPhases.Scanning, false, 2, 2), (view.Sweep, view.Phase, view.DryRun, view.Runs, view.PagesDone));
        Assert.Equal((150L, 0L, (long?)null, 0L), (view.Examined, view.ActedOn, view.ActTarget, view.Errors));
        Assert.Equal(
            ["young=135", "active_job=1", "protected=1", "lookup_failed=1", "no_launch_time=1", "no_runner_evidence=0", "claimed=0", "termination_protected=0", "gone=0", "cap_reached=0"],
            view.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
    }

    [Fact]
    public void Terminating_counts_terminated_failed_and_kept_at_the_recheck()
    {
        StrayInstanceReport[] outcomes =
        [
            Kept("i-o1", StrayInstanceDecision.Terminated),
            Kept("i-o2", StrayInstanceDecision.TerminateFailed),
            Kept("i-o3", StrayInstanceDecision.Gone),
        ];

        var view = Scanned.ToView(dryRun: false, SweepAction.Act, outcomes);

        Assert.Equal((SweepPhases.Acting, 3L, 1L, 1L), (view.Phase, view.ActTarget, view.ActedOn, view.Errors));
        Assert.Equal(1, view.SkippedByReason["gone"]);
        Assert.Equal(0L, Scanned.ToView(false, SweepAction.Act, []).ActedOn);
    }

    [Fact]
    public void A_dry_run_would_act_on_every_orphan_and_over_the_cap_none()
    {
        var dry = Scanned.ToView(dryRun: true, SweepAction.DryRun, []);
        var capped = Scanned.ToView(dryRun: false, SweepAction.CapReached, []);

        Assert.Equal((true, 3L, 3L), (dry.DryRun, dry.ActTarget, dry.ActedOn));
        Assert.Equal((0L, 0L, 3L), (capped.ActTarget ?? -1, capped.ActedOn, capped.SkippedByReason["cap_reached"]));
    }
}
