using RunsFleet.Activities.Requeue;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>Whether a failed bootstrap requeues the instance's job, in runs-fleet's order
/// (pkg/termination/handler.go:395-398): a job with job and run id, a job queue, then the retry cap.</summary>
internal static class BootstrapRequeuePlan
{
    /// <summary><see cref="BootstrapRequeue.Requeued"/> when the job is to be requeued; otherwise why not.</summary>
    public static BootstrapRequeue Decide(RequeueLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (lookup.Candidate is not { } job)
        {
            return lookup.ActiveJobs == 0 ? BootstrapRequeue.NoJob : BootstrapRequeue.SeveralJobs;
        }

        if (job.RunId == 0)
        {
            return BootstrapRequeue.NoRunId;
        }

        if (!lookup.QueueConfigured)
        {
            return BootstrapRequeue.NoQueue;
        }

        return job.RetryCount >= RequeueCandidate.MaxBootstrapRequeues
            ? BootstrapRequeue.RetryCapReached
            : BootstrapRequeue.Requeued;
    }

    /// <summary>What the decision says about <paramref name="lookup"/>'s job, for the run's detail.</summary>
    public static string Describe(BootstrapRequeue decision, RequeueLookup lookup, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var job = lookup.Candidate;
        return decision switch
        {
            BootstrapRequeue.NoJob => $"{instanceId} has no running or launched job; nothing requeued",
            BootstrapRequeue.SeveralJobs => $"{instanceId} has 2 or more running or launched jobs; none requeued",
            BootstrapRequeue.NoRunId => $"job {job?.JobId} has no run_id; not requeued",
            BootstrapRequeue.NoQueue => $"job {job?.JobId} not requeued: RUNS_FLEET_QUEUE_URL is not set",
            BootstrapRequeue.RetryCapReached => $"job {job?.JobId} not requeued: retry_count {job?.RetryCount} "
                + $"is at the cap of {RequeueCandidate.MaxBootstrapRequeues}",
            _ => $"job {job?.JobId}: {decision}",
        };
    }
}
