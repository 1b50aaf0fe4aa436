using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using static RunsFleet.Tests.Workflows.Sweeps.OrphanedJobs.OrphanedJobSweepWorkflowReplayTests;

namespace RunsFleet.Tests.Workflows.Sweeps.OrphanedJobs;

/// <summary>OrphanedJobSweepContinuation.ToView: the scan state as the "progress" view.</summary>
public class OrphanedJobSweepProgressViewTests
{
    private static readonly OrphanedJobCandidate[] Jobs = Candidates(1, 3);

    private static readonly OrphanedJobSweepContinuation Scanned = OrphanedJobSweepContinuation.Start(PlanOf(maxJobs: 10))
        .Add(PageOf(read: 20, gone: 2, active: 18, candidates: Jobs[..2], next: Cursor(20)))
        .Add(PageOf(read: 5, overAge: 1, active: 2, candidates: Jobs[2..]) with { KeptUnreadable = 1, KeptYoung = 1, InstancesKnown = 4 });

    [Fact]
    public void Scanning_counts_jobs_read_and_every_skip_reason()
    {
        var view = Scanned.ToView(dryRun: false);

        Assert.Equal(("orphaned_jobs", SweepPhases.Scanning, 1, 2, 25L), (view.Sweep, view.Phase, view.Runs, view.PagesDone, view.Examined));
        Assert.Equal((0L, (long?)null, 0L), (view.ActedOn, view.ActTarget, view.Errors));
        Assert.Equal(
            ["active=20", "young=1", "unreadable=1", "changed_meanwhile=0", "cap_reached=0", "instances_unknown=0"],
            view.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
        Assert.Equal(4, Scanned.InstancesKnown);
    }

    [Fact]
    public void Marking_counts_marked_failed_and_changed_meanwhile()
    {
        OrphanedJobReport[] outcomes =
        [
            Report(Jobs[0], OrphanedJobDecision.Marked),
            Report(Jobs[1], OrphanedJobDecision.MarkFailed),
            Report(Jobs[2], OrphanedJobDecision.LeftAlone),
        ];

        var view = Scanned.ToView(dryRun: false, SweepAction.Act, outcomes);

        Assert.Equal((SweepPhases.Acting, 3L, 1L, 1L), (view.Phase, view.ActTarget, view.ActedOn, view.Errors));
        Assert.Equal(1, view.SkippedByReason["changed_meanwhile"]);
    }

    [Fact]
    public void Dry_run_cap_and_nothing_found()
    {
        var dry = Scanned.ToView(dryRun: true, SweepAction.DryRun, []);
        var capped = Scanned.ToView(dryRun: false, SweepAction.CapReached, []);
        var nothing = OrphanedJobSweepContinuation.Start(PlanOf()).ToView(dryRun: false, SweepAction.Nothing, []);

        Assert.Equal((3L, 3L), (dry.ActTarget ?? -1, dry.ActedOn));
        Assert.Equal((0L, 0L, 3L), (capped.ActTarget ?? -1, capped.ActedOn, capped.SkippedByReason["cap_reached"]));
        Assert.Equal((SweepPhases.Acting, 0L, 0L), (nothing.Phase, nothing.ActTarget ?? -1, nothing.ActedOn));
    }

    [Fact]
    public void Unknown_instances_skip_every_orphaned_job_with_that_reason()
    {
        var view = Scanned.ToView(dryRun: false, SweepAction.InstancesUnknown, []);

        Assert.Equal((SweepPhases.Acting, 0L, 0L), (view.Phase, view.ActTarget ?? -1, view.ActedOn));
        Assert.Equal(3, view.SkippedByReason[SweepProgress.InstancesUnknown]);
        Assert.Contains("instances_unknown 3", SweepProgress.Details(view), StringComparison.Ordinal);
    }
}
