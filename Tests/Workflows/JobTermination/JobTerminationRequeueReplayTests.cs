using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// The failed-bootstrap branch since <see cref="WorkflowPatches.BootstrapFailedRequeue"/>, every way
/// through it, replayed from histories with its patch marker. (The branch before it, histories without
/// the marker, is in JobTerminationWorkflowReplayTests and still replays.)
/// </summary>
public sealed class JobTerminationRequeueReplayTests
{
    private const string Instance = "i-0a1b2c3d4e5f6071a";
    private const long JobId = 59112233445;
    private const string FlippedAt = "2026-11-30T18:00:01Z";
    private const string Find = "FindRequeueCandidate";
    private const string Flip = "MarkJobRequeued";
    private const string Send = "SendRequeueMessage";
    private const string Undo = "UndoJobRequeued";
    private const string Clean = "DeleteRunnerParameters";
    private const string Count = "PublishBootstrapFailureMetrics";
    private static readonly DateTimeOffset HistoryStart = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
    private static readonly RequeueCandidate Job =
        new(JobId, 9_000_000_001, "acme/app", "c7g.xlarge", "default", 1, "launched", "runs-fleet=1/pool=default");
    private static readonly JobTerminationInput Input =
        new JobTerminationInput
        {
            InstanceId = Instance,
            JobId = null,
            Status = JobEndStatus.BootstrapFailed,
            ExitCode = 0,
            DurationSeconds = 0,
            StartedAt = null,
            CompletedAt = null,
            Error = "agent download failed",
            InterruptedBy = null,
            SqsMessageId = "m-1",
        };

    [Fact]
    public async Task Job_is_flipped_sent_and_the_runner_cleaned_up_and_counted()
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(true, "launched", FlippedAt, Job))
            .ActivityCompleted(Send, new RequeueMessageSent("msg-1", "59112233445", "d"))
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted(Count, 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Find, Flip, Send, Clean, Count], replay.ActivityTypes);
        Assert.Equal(Instance, replay.Activities[0].Arg<string>());
        Assert.Equal(new MarkJobRequeuedRequest(JobId, Instance), replay.Activities[1].Arg<MarkJobRequeuedRequest>());
        Assert.Equal(
            new RequeueMessage(
                JobId, 9_000_000_001, "acme/app", "c7g.xlarge", "default", 2, "runs-fleet=1/pool=default"),
            replay.Activities[2].Arg<RequeueMessage>());
        Assert.Equal(Metrics(BootstrapRequeueMetric.Requeued), replay.Activities[4].Arg<BootstrapFailureMetrics>());
        Assert.Equal(
            new JobTerminationResult
            {
                Outcome = JobTerminationOutcome.BootstrapFailureRequeued,
                JobStatus = "requeued",
                Pool = "default",
                ParametersDeleted = 2,
                ParametersAlreadyGone = 0,
                MetricsSent = 2,
                Detail = $"runner on {Instance} failed to bootstrap; job {JobId} requeued from launched with retry_count 2; "
                    + $"parameters of {Instance}: 2 deleted, 0 already gone; 2 metric values sent",
                JobIdFoundByInstance = JobId,
                ActiveJobsOfInstance = 1,
                Requeue = BootstrapRequeue.Requeued,
            },
            replay.Result<JobTerminationResult>());
        Assert.Equal("59112233445", replay.SearchAttributes?.Get(RunsFleetSearchAttributes.JobId));
        Assert.Equal("default", replay.SearchAttributes?.Get(RunsFleetSearchAttributes.Pool));
    }

    [Fact]
    public async Task Message_is_built_from_the_record_as_the_flip_found_it()
    {
        // The index read was a moment old; the flip's own copy of the record wins.
        var asFlipped = Job with { RetryCount = 0, InstanceType = "m7g.large", Status = "running" };
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(true, "running", FlippedAt, asFlipped))
            .ActivityCompleted(Send, new RequeueMessageSent("msg-1", null, null))
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted(Count, 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(RequeueMessage.For(asFlipped), replay.Activities[2].Arg<RequeueMessage>());
        var detail = replay.Result<JobTerminationResult>().Detail;
        Assert.Contains("requeued from running with retry_count 1", detail, StringComparison.Ordinal);
    }

    public static TheoryData<RequeueLookup, BootstrapRequeue, BootstrapRequeueMetric> NotRequeued => new()
    {
        { new RequeueLookup(null, 0, true, 1), BootstrapRequeue.NoJob, BootstrapRequeueMetric.None },
        { new RequeueLookup(null, 2, true, 1), BootstrapRequeue.SeveralJobs, BootstrapRequeueMetric.None },
        {
            new RequeueLookup(Job with { RunId = 0 }, 1, true, 1),
            BootstrapRequeue.NoRunId,
            BootstrapRequeueMetric.None
        },
        { new RequeueLookup(Job, 1, false, 1), BootstrapRequeue.NoQueue, BootstrapRequeueMetric.None },
        {
            new RequeueLookup(Job with { RetryCount = 2 }, 1, true, 1),
            BootstrapRequeue.RetryCapReached,
            BootstrapRequeueMetric.GaveUp
        },
    };

    [Theory]
    [MemberData(nameof(NotRequeued))]
    public async Task Without_a_requeue_the_runner_is_still_cleaned_up_and_counted(
        RequeueLookup lookup, BootstrapRequeue decision, BootstrapRequeueMetric metric)
    {
        var builder = History().ActivityCompleted(Find, lookup);
        if (lookup.Candidate is not null)
        {
            builder.SearchAttributesUpserted(JobAndPool());
        }

        var history = builder
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted(Count, metric == BootstrapRequeueMetric.None ? 1 : 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Find, Clean, Count], replay.ActivityTypes);
        Assert.Equal(Metrics(metric), replay.Activities[2].Arg<BootstrapFailureMetrics>());
        var result = replay.Result<JobTerminationResult>();
        Assert.Equal(
            (JobTerminationOutcome.BootstrapFailureCleanedUp, (BootstrapRequeue?)decision, lookup.Candidate?.Status),
            (result.Outcome, result.Requeue, result.JobStatus));
        Assert.Equal(
            (lookup.Candidate?.JobId, (int?)lookup.ActiveJobs),
            (result.JobIdFoundByInstance, result.ActiveJobsOfInstance));
        var why = BootstrapRequeuePlan.Describe(decision, lookup, Instance);
        Assert.Contains(why, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_moved_on_before_the_flip_is_not_requeued()
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(false, null, null, null, "requeued", Instance))
            .ActivityCompleted(Clean, new RunnerParametersDeleted(0, 2))
            .ActivityCompleted(Count, 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Find, Flip, Clean, Count], replay.ActivityTypes);
        Assert.Equal(Metrics(BootstrapRequeueMetric.None), replay.Activities[3].Arg<BootstrapFailureMetrics>());
        var result = replay.Result<JobTerminationResult>();
        Assert.Equal(
            (JobTerminationOutcome.BootstrapFailureCleanedUp,
                (BootstrapRequeue?)BootstrapRequeue.RecordMovedOn,
                "requeued"),
            (result.Outcome, result.Requeue, result.JobStatus));
        var what = $"job {JobId} not requeued: its record is requeued now";
        Assert.Contains(what, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "record restored to launched")]
    [InlineData(false, "record not restored, it is claiming now")]
    public async Task A_send_that_fails_for_good_undoes_the_flip_cleans_up_and_fails_the_run(bool undone, string what)
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(true, "launched", FlippedAt, Job))
            .ActivityFailed(Send, "AccessDenied", "SendMessage failed with AccessDenied: not allowed")
            .ActivityCompleted(Undo, new UndoJobRequeuedResult(undone, undone ? "launched" : "claiming"))
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted(Count, 1)
            .WorkflowFailed("SendRequeueMessage failed", "AccessDenied", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Find, Flip, Send, Undo, Clean, Count], replay.ActivityTypes);
        Assert.Equal(
            new UndoJobRequeuedRequest(JobId, Instance, "launched", FlippedAt),
            replay.Activities[3].Arg<UndoJobRequeuedRequest>());
        Assert.Equal(Metrics(BootstrapRequeueMetric.None), replay.Activities[5].Arg<BootstrapFailureMetrics>());
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal(("AccessDenied", true), (failure.ErrorType, failure.NonRetryable));
        Assert.StartsWith(
            "SendRequeueMessage failed: SendMessage failed with AccessDenied: not allowed; runner on ",
            failure.Message,
            StringComparison.Ordinal);
        var sentence = $"job {JobId} not requeued: the message was not sent; {what}";
        Assert.Contains(sentence, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_send_timing_out_for_good_is_undone_too()
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(true, "running", FlippedAt, Job))
            .ActivityTimedOut(Send)
            .ActivityCompleted(Undo, new UndoJobRequeuedResult(true, "running"))
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted(Count, 1)
            .WorkflowFailed("SendRequeueMessage failed", "ActivityTimeout", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal("running", replay.Activities[3].Arg<UndoJobRequeuedRequest>().RestoreStatus);
        Assert.Equal("ActivityTimeout", Assert.IsType<ApplicationFailureException>(replay.WorkflowException).ErrorType);
    }

    [Fact]
    public async Task An_undo_that_fails_for_good_fails_the_run_at_once()
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Flip, new MarkJobRequeuedResult(true, "launched", FlippedAt, Job))
            .ActivityFailed(Send, "AccessDenied", "denied")
            .ActivityFailed(Undo, "ResourceNotFoundException", "UpdateItem failed with ResourceNotFoundException")
            .WorkflowFailed("UndoJobRequeued failed", "ResourceNotFoundException", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Find, Flip, Send, Undo], replay.ActivityTypes);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal("ResourceNotFoundException", failure.ErrorType);
        Assert.StartsWith("UndoJobRequeued failed: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_with_the_marker_but_the_old_clean_up_only_is_nondeterministic()
    {
        var history = History()
            .ActivityCompleted(Clean, new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    [Fact]
    public async Task History_that_sent_without_a_flip_is_nondeterministic()
    {
        var history = History()
            .ActivityCompleted(Find, new RequeueLookup(Job, 1, true, 1))
            .SearchAttributesUpserted(JobAndPool())
            .ActivityCompleted(Send, new RequeueMessageSent("m", null, null))
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    private static BootstrapFailureMetrics Metrics(BootstrapRequeueMetric requeue) => new(requeue);

    private static HistoryBuilder History()
    {
        var attributes = new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.InstanceId, Instance);
        var id = JobTerminationIds.For(Input);
        return new HistoryBuilder(JobTerminationIds.WorkflowType, Input, id, startTime: HistoryStart)
            .WithStartSearchAttributes(attributes.ToSearchAttributeCollection())
            .PatchMarker(WorkflowPatches.BootstrapFailedRequeue);
    }

    // The run sets the job id and the pool in one upsert.
    private static SearchAttributeCollection JobAndPool() =>
        new SearchAttributeCollection.Builder()
            .Set(RunsFleetSearchAttributes.JobId, JobId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set(RunsFleetSearchAttributes.Pool, "default")
            .ToSearchAttributeCollection();
}
