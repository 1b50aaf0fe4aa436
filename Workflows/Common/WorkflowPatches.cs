namespace RunsFleet.Workflows.Common;

/// <summary>Every <c>Workflow.Patched</c> id, in one place. A change to the commands a workflow issues
/// ships behind one of these, so histories written by the release before it keep replaying
/// (old runs take the old path; new runs record the patch marker and take the new one). An id
/// is never reused or renamed; it may be removed only once no history without it can replay.</summary>
internal static class WorkflowPatches
{
    /// <summary>OldJobArchival reads runs-fleet's terminal statuses (success, failure, error, cancelled)
    /// after the five it read before (issue 13: statuses as runs-fleet has them).</summary>
    public const string ArchiveRunsFleetStatuses = "old-jobs-archive-runs-fleet-statuses";

    /// <summary>JobTermination's start report confirms the runner as runs-fleet's does: the record moves to
    /// running (the activity's own change) and, when this run moved it, the confirmation metrics are
    /// published by one more activity (issue 13 item 7).</summary>
    public const string StartConfirmsRunning = "termination-start-confirms-running";

    /// <summary>JobTermination's bootstrap_failed requeues the instance's job as runs-fleet's handler does:
    /// look the job up, flip its record to requeued, send the launch message, undo the flip if the
    /// send fails for good; then clean up and count as before (issue 13 item 7).</summary>
    public const string BootstrapFailedRequeue = "termination-bootstrap-failed-requeue";

    /// <summary>OrphanedJobSweep marks nothing when EC2 knew none of the instances it looked up (issue 13:
    /// a wrong region or account looks like every instance gone); before it, it marked them.</summary>
    public const string OrphanedJobsUnknownInstances = "orphaned-jobs-unknown-instances";

    /// <summary>OrphanSweep reads a third listing, the Packer AMI builders (tag created-by=runs-fleet-packer),
    /// for phase f after the managed and runner-profile listings (issue 13: builders reaped after
    /// runs-fleet's 1 h). Runs without the marker never read it.</summary>
    public const string OrphanPackerBuilders = "orphan-sweep-packer-builders";
}
