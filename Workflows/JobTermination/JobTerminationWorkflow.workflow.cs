using System.Globalization;
using System.Linq.Expressions;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>Acts on one termination message.
/// <list type="bullet">
/// <item>A job end marks the record terminal (if this instance owns it and it has not ended),
/// then always deletes this instance's SSM parameters, then counts the job, but only when
/// this run recorded the completion: a duplicate, another instance's job or a job without a
/// record is never counted, so JobSuccess + JobFailure equals the records completed.</item>
/// <item>A start report confirms the runner: this instance's launched or claiming record moves to
/// running with started_at, and only then are runs-fleet's confirmation metrics published
/// (RunnerConfirmed, InstanceProvisionSeconds, AgentBootstrapSeconds). Runs started before
/// <see cref="WorkflowPatches.StartConfirmsRunning"/> publish nothing.</item>
/// <item>A job end without a job id (the agent failed before it learned its job) first looks
/// the instance's non-terminal jobs up: exactly one is completed exactly like a named job;
/// none or several means no record can be chosen safely, so the parameters are deleted and
/// one JobFailure is counted (<see cref="JobTerminationOutcome.JobNotIdentified"/>).</item>
/// <item>A failed bootstrap requeues the instance's job as runs-fleet's handler does (see the
/// .Bootstrap part), then deletes the parameters and counts one JobFailure. Runs started before
/// <see cref="WorkflowPatches.BootstrapFailedRequeue"/> only clean up and count.</item>
/// </list>
/// An activity that fails for good (non-retryable, or out of retries) fails the run with an
/// application failure typed with the activity's own failure type and naming the step, so
/// the run shows as Failed in the UI and can be reset once the cause is fixed; every step is
/// idempotent, so running it again is safe. Steps after the failed one did not run (leftover
/// parameters are also caught by the StaleSsmSweep).</summary>
[Workflow(JobTerminationIds.WorkflowType)]
public sealed partial class JobTerminationWorkflow
{
    /// <summary>Runs the branch of the reported status.</summary>
    [WorkflowRun]
    public async Task<JobTerminationResult> RunAsync(JobTerminationInput input)
    {
        ValidateInput(input);
        return input.Status switch
        {
            JobEndStatus.Started => await RecordStartAsync(input),
            JobEndStatus.BootstrapFailed => Workflow.Patched(WorkflowPatches.BootstrapFailedRequeue)
                ? await RequeueAndCleanUpAsync(input)
                : await CleanUpBootstrapFailureAsync(input),
            _ when input.JobId is { } jobId => await CompleteAsync(input, jobId),
            _ => await CompleteThroughInstanceAsync(input),
        };
    }

    private static async Task<JobTerminationResult> CompleteThroughInstanceAsync(JobTerminationInput input)
    {
        var found = await StepAsync(
            "FindActiveJobsOfInstance", (JobRecordActivities a) => a.FindActiveJobsOfInstanceAsync(input.InstanceId));
        if (found.SingleJobId is { } jobId)
        {
            // From here on it is the job the agent meant: findable by it, completed by the same
            // conditional update (which still checks the owner and that it has not ended).
            Workflow.UpsertTypedSearchAttributes(
                RunsFleetSearchAttributes.JobId.ValueSet(jobId.ToString(CultureInfo.InvariantCulture)));
            var completed = await CompleteAsync(input, jobId);
            return completed with
            {
                JobIdFoundByInstance = jobId,
                ActiveJobsOfInstance = 1,
                Detail = $"no job id reported; job {jobId} is the only active job of {input.InstanceId}; "
                    + $"{completed.Detail}",
            };
        }

        // The runner's end is still a failed attempt, counted once; no job, so no pool or duration.
        var jobs = found.JobIds.Count == 0 ? "no active job" : $"{found.JobIds.Count} or more active jobs";
        var cleaned = await CleanUpAndCountFailureAsync(JobTerminationOutcome.JobNotIdentified, input.InstanceId,
            $"no job id reported and {input.InstanceId} has {jobs}; no record marked");
        return cleaned with { ActiveJobsOfInstance = found.JobIds.Count };
    }

    private static async Task<JobTerminationResult> CompleteAsync(JobTerminationInput input, long jobId)
    {
        var request = new CompleteJobRequest
        {
            JobId = jobId,
            InstanceId = input.InstanceId,
            Status = JobStatusMapping.ToRecordStatus(input.Status),
            CompletedAt = input.CompletedAt ?? Workflow.UtcNow,
            StartedAt = input.StartedAt,
            ExitCode = input.ExitCode,
            DurationSeconds = input.DurationSeconds,
            Error = input.Error,
            InterruptedBy = input.InterruptedBy,
        };
        var completion = await StepAsync("CompleteJob", (JobRecordActivities a) => a.CompleteJobAsync(request));
        UpsertPool(completion.Pool);

        // Whatever the record said, this instance is finished: its credential must go.
        var parameters = await DeleteParametersAsync(input.InstanceId);

        var metricsSent = 0;
        if (completion.Outcome == CompleteJobOutcome.Completed)
        {
            var metrics = new JobMetrics(completion.Pool, JobStatusMapping.CountsAsSuccess(input.Status),
                input.DurationSeconds);
            metricsSent = await PublishAsync(metrics);
        }

        var (outcome, what) = completion.Outcome switch
        {
            CompleteJobOutcome.Completed => (JobTerminationOutcome.Completed,
                $"job {jobId} marked {completion.RecordedStatus}"),
            CompleteJobOutcome.AlreadyTerminal => (JobTerminationOutcome.AlreadyTerminal,
                $"job {jobId} was already {completion.RecordedStatus}; record unchanged"),
            CompleteJobOutcome.OwnedByOtherInstance => (JobTerminationOutcome.OwnedByOtherInstance,
                $"job {jobId} belongs to {completion.RecordInstanceId}; record unchanged"),
            _ => (JobTerminationOutcome.NotFound, $"job {jobId} not found; nothing marked"),
        };
        return CleanedUp(outcome, what, input.InstanceId, parameters, metricsSent) with
        {
            JobStatus = completion.RecordedStatus,
            Pool = completion.Pool,
        };
    }

    private static async Task<JobTerminationResult> RecordStartAsync(JobTerminationInput input)
    {
        var confirms = Workflow.Patched(WorkflowPatches.StartConfirmsRunning);
        var jobId = input.JobId!.Value;
        var request = new RecordJobStartedRequest(jobId, input.InstanceId, input.StartedAt ?? Workflow.UtcNow);
        var started = await StepAsync("RecordJobStarted", (JobRecordActivities a) => a.RecordJobStartedAsync(request));
        UpsertPool(started.Pool);
        if (!confirms)
        {
            return DescribeStart(jobId, started, metricsSent: 0, confirms);
        }

        // Only the run that moved the record counts the runner, so a redelivery counts nothing.
        var metricsSent = 0;
        if (started.Outcome == RecordJobStartedOutcome.Recorded)
        {
            var metrics = new RunnerConfirmedMetrics(
                started.Pool,
                started.InstanceType,
                started.WarmPoolHit,
                started.HotPoolHit,
                started.CreatedAt,
                input.StartedAt,
                input.Bootstrap);
            metricsSent = await StepAsync(
                "PublishRunnerConfirmedMetrics",
                (JobMetricsActivities a) => a.PublishRunnerConfirmedMetricsAsync(metrics));
        }

        return DescribeStart(jobId, started, metricsSent, confirms);
    }

    // A run started before StartConfirmsRunning (confirms false) keeps that release's words, word for word.
    private static JobTerminationResult DescribeStart(
        long jobId, RecordJobStartedResult started, int metricsSent, bool confirms)
    {
        var status = started.RecordedStatus;
        var (outcome, what) = started.Outcome switch
        {
            RecordJobStartedOutcome.Recorded => (JobTerminationOutcome.StartRecorded, confirms
                ? $"job {jobId} running, started at {started.StartedAt}"
                : $"job {jobId} started at {started.StartedAt}"),
            RecordJobStartedOutcome.AlreadyRecorded => (JobTerminationOutcome.StartAlreadyRecorded, confirms
                ? $"job {jobId} was already {status} (started at {started.StartedAt}); unchanged"
                : $"job {jobId} already had started_at {started.StartedAt}; unchanged"),
            RecordJobStartedOutcome.NotStartable => (JobTerminationOutcome.StartIgnored, confirms
                ? $"job {jobId} is {status ?? "without status"}; a start report does not move it"
                : $"job {jobId} is {status}; start not recorded"),
            RecordJobStartedOutcome.AlreadyTerminal =>
                (JobTerminationOutcome.AlreadyTerminal, $"job {jobId} already ended ({status}); start not recorded"),
            RecordJobStartedOutcome.OwnedByOtherInstance =>
                (JobTerminationOutcome.OwnedByOtherInstance,
                    $"job {jobId} belongs to another instance; start not recorded"),
            _ => (JobTerminationOutcome.NotFound, $"job {jobId} not found; start not recorded"),
        };
        return new JobTerminationResult
        {
            Outcome = outcome,
            JobStatus = status,
            Pool = started.Pool,
            ParametersDeleted = 0,
            ParametersAlreadyGone = 0,
            MetricsSent = metricsSent,
            Detail = confirms ? $"{what}; {metricsSent} metric values sent" : what,
        };
    }

    // The runner never ran the job: no duration, no pool known without touching the record.
    private static Task<JobTerminationResult> CleanUpBootstrapFailureAsync(JobTerminationInput input) =>
        CleanUpAndCountFailureAsync(JobTerminationOutcome.BootstrapFailureCleanedUp, input.InstanceId,
            $"runner on {input.InstanceId} failed to bootstrap");

    // Deletes the instance's parameters and counts one JobFailure without a pool: the end of a runner whose
    // job is not known.
    private static async Task<JobTerminationResult> CleanUpAndCountFailureAsync(
        JobTerminationOutcome outcome, string instanceId, string what)
    {
        var parameters = await DeleteParametersAsync(instanceId);
        var metricsSent = await PublishAsync(new JobMetrics(null, Succeeded: false, DurationSeconds: 0));
        return CleanedUp(outcome, what, instanceId, parameters, metricsSent);
    }

    // The result of a run that deleted the parameters: no record status or pool unless the caller adds them.
    private static JobTerminationResult CleanedUp(JobTerminationOutcome outcome, string what, string instanceId,
        RunnerParametersDeleted parameters, int metricsSent) => new()
    {
        Outcome = outcome,
        JobStatus = null,
        Pool = null,
        ParametersDeleted = parameters.Deleted,
        ParametersAlreadyGone = parameters.AlreadyGone,
        MetricsSent = metricsSent,
        Detail = $"{what}; parameters of {instanceId}: {parameters.Deleted} deleted, {parameters.AlreadyGone} already "
            + $"gone; {metricsSent} metric values sent",
    };

    private static Task<RunnerParametersDeleted> DeleteParametersAsync(string instanceId) =>
        StepAsync("DeleteRunnerParameters", (RunnerParameterActivities a) => a.DeleteRunnerParametersAsync(instanceId));

    private static Task<int> PublishAsync(JobMetrics metrics) =>
        StepAsync("PublishJobMetrics", (JobMetricsActivities a) => a.PublishJobMetricsAsync(metrics));

    // Makes the run findable by pool in the UI once the record has told us the pool.
    private static void UpsertPool(string? pool)
    {
        if (!string.IsNullOrWhiteSpace(pool))
        {
            Workflow.UpsertTypedSearchAttributes(RunsFleetSearchAttributes.Pool.ValueSet(pool));
        }
    }

    // Turns an activity's final failure into the run's failure, naming the step and keeping the
    // activity's failure type (e.g. InvalidInput, ResourceNotFoundException) visible at the top.
    private static async Task<T> StepAsync<TActivities, T>(string step, Expression<Func<TActivities, Task<T>>> call)
    {
        try
        {
            return await Workflow.ExecuteActivityAsync(call, ActivityPolicies.ShortAwsCall);
        }
        // Cancellation passes through untouched, so a cancelled run shows as Cancelled, not Failed.
        catch (ActivityFailureException ex) when (!TemporalException.IsCanceledException(ex))
        {
            var (type, reason) = FailureOf(ex);
            throw new ApplicationFailureException($"{step} failed: {reason}", ex, errorType: type, nonRetryable: true);
        }
    }

    // The failure type and text of an activity's final failure.
    private static (string Type, string Reason) FailureOf(ActivityFailureException ex) => ex.InnerException switch
    {
        ApplicationFailureException app => (app.ErrorType ?? "ActivityFailed", app.Message),
        TimeoutFailureException timeout => ("ActivityTimeout", timeout.Message),
        { } other => ("ActivityFailed", other.Message),
        null => ("ActivityFailed", ex.Message),
    };

    private static void ValidateInput(JobTerminationInput input)
    {
        if (InputProblem(input) is { } problem)
        {
            throw new ApplicationFailureException(problem, errorType: FailureTypes.InvalidInput, nonRetryable: true);
        }
    }

    // Why the input cannot be acted on, or null when it can.
    private static string? InputProblem(JobTerminationInput? input) => input switch
    {
        null => "no input",
        _ when !Enum.IsDefined(input.Status) => $"unknown status {input.Status}",
        _ when !InstanceIds.IsValid(input.InstanceId) => $"'{input.InstanceId}' is not an EC2 instance id",

        // Only a start report must name its job; a job end without one is looked up by instance.
        { Status: JobEndStatus.Started, JobId: not > 0 } or { JobId: <= 0 } => input.JobId is null
            ? $"status {input.Status} needs a positive job id"
            : $"job id {input.JobId} is not positive",
        _ => null,
    };
}
