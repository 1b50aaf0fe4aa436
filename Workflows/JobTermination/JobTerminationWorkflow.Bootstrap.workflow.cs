using System.Globalization;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>The failed-bootstrap branch since <see cref="WorkflowPatches.BootstrapFailedRequeue"/>:
/// runs-fleet's processBootstrapFailure (pkg/termination/handler.go:381) as one durable step
/// sequence. Find the instance's running or launched job; if it has a run id, a job queue is set
/// and it is under the retry cap, flip its record to requeued and send the launch message; a send
/// that fails for good (after Temporal's retries) undoes the flip, so the record is launched or
/// running again for runs-fleet's watchdog, and the run fails once the clean-up is done. Then, in
/// every case, delete the runner's parameters and count one JobFailure (plus JobsRequeued or, at
/// the cap, SchedulingFailure).</summary>
public sealed partial class JobTerminationWorkflow
{
    private static async Task<JobTerminationResult> RequeueAndCleanUpAsync(JobTerminationInput input)
    {
        var lookup = await StepAsync(
            "FindRequeueCandidate", (JobRequeueActivities a) => a.FindRequeueCandidateAsync(input.InstanceId));
        var decision = BootstrapRequeuePlan.Decide(lookup);
        var job = lookup.Candidate;
        if (job is not null)
        {
            // From here on the run is about that job: findable by it and its pool in the UI (one upsert).
            var jobIdText = job.JobId.ToString(CultureInfo.InvariantCulture);
            var jobIdUpdate = RunsFleetSearchAttributes.JobId.ValueSet(jobIdText);
            Workflow.UpsertTypedSearchAttributes(string.IsNullOrWhiteSpace(job.Pool)
                ? [jobIdUpdate]
                : [jobIdUpdate, RunsFleetSearchAttributes.Pool.ValueSet(job.Pool)]);
        }

        var requeue = decision == BootstrapRequeue.Requeued
            ? await RequeueAsync(input.InstanceId, job!)
            : new RequeueSteps(
                decision, BootstrapRequeuePlan.Describe(decision, lookup, input.InstanceId), job?.Status);

        var parameters = await DeleteParametersAsync(input.InstanceId);
        var counter = requeue.Decision switch
        {
            BootstrapRequeue.Requeued => BootstrapRequeueMetric.Requeued,
            BootstrapRequeue.RetryCapReached => BootstrapRequeueMetric.GaveUp,
            _ => BootstrapRequeueMetric.None,
        };
        var metrics = new BootstrapFailureMetrics(counter);
        var metricsSent = await StepAsync(
            "PublishBootstrapFailureMetrics",
            (JobMetricsActivities a) => a.PublishBootstrapFailureMetricsAsync(metrics));
        var outcome = requeue.Decision == BootstrapRequeue.Requeued
            ? JobTerminationOutcome.BootstrapFailureRequeued
            : JobTerminationOutcome.BootstrapFailureCleanedUp;
        var result = CleanedUp(outcome, $"runner on {input.InstanceId} failed to bootstrap; {requeue.What}",
            input.InstanceId, parameters, metricsSent);

        // The job was not requeued: the run shows as Failed, and a reset runs the whole sequence again.
        if (requeue.SendFailure is { } failure)
        {
            var (type, reason) = FailureOf(failure);
            throw new ApplicationFailureException(
                $"SendRequeueMessage failed: {reason}; {result.Detail}", failure, errorType: type, nonRetryable: true);
        }

        return result with
        {
            JobStatus = requeue.RecordStatus,
            Pool = string.IsNullOrEmpty(job?.Pool) ? null : job.Pool,
            JobIdFoundByInstance = job?.JobId,
            ActiveJobsOfInstance = lookup.ActiveJobs,
            Requeue = requeue.Decision,
        };
    }

    // Flip, send, and on a send that failed for good undo the flip (runs-fleet's rollbackRequeueFlip).
    private static async Task<RequeueSteps> RequeueAsync(string instanceId, RequeueCandidate job)
    {
        var flipRequest = new MarkJobRequeuedRequest(job.JobId, instanceId);
        var flip = await StepAsync("MarkJobRequeued", (JobRequeueActivities a) => a.MarkJobRequeuedAsync(flipRequest));
        if (!flip.Flipped)
        {
            var owner = flip.CurrentInstanceId is { } other && other != instanceId ? $" on {other}" : string.Empty;
            return new RequeueSteps(
                BootstrapRequeue.RecordMovedOn,
                $"job {job.JobId} not requeued: its record is {flip.CurrentStatus ?? "gone"}{owner} now",
                flip.CurrentStatus);
        }

        // The message describes the record exactly as it was flipped (the flip returns it).
        var message = RequeueMessage.For(flip.Record ?? job);
        var previous = flip.PreviousStatus ?? job.Status;
        try
        {
            await Workflow.ExecuteActivityAsync(
                (JobRequeueActivities a) => a.SendRequeueMessageAsync(message),
                ActivityPolicies.ShortAwsCall);
            return new RequeueSteps(
                BootstrapRequeue.Requeued,
                $"job {job.JobId} requeued from {previous} with retry_count {message.RetryCount}",
                JobRecord.Requeued);
        }
        catch (ActivityFailureException ex) when (!TemporalException.IsCanceledException(ex))
        {
            var undoRequest = new UndoJobRequeuedRequest(job.JobId, instanceId, previous, flip.RequeuedAt!);
            var undo = await StepAsync(
                "UndoJobRequeued", (JobRequeueActivities a) => a.UndoJobRequeuedAsync(undoRequest));
            var what = $"job {job.JobId} not requeued: the message was not sent; " + (undo.Undone
                ? $"record restored to {previous}"
                : $"record not restored, it is {undo.CurrentStatus ?? "gone"} now");
            return new RequeueSteps(BootstrapRequeue.SendFailed, what, undo.CurrentStatus, ex);
        }
    }

    // What the requeue steps did: the decision, a sentence, the record's status, and a send's final failure.
    private sealed record RequeueSteps(
        BootstrapRequeue Decision, string What, string? RecordStatus, ActivityFailureException? SendFailure = null);
}
