using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// Every branch of JobTermination replayed from synthetic histories: the replay proves the code
/// schedules exactly the history's commands; the recording interceptor shows the arguments, the
/// options, the search attributes and the result.
/// </summary>
public sealed class JobTerminationWorkflowReplayTests
{
    private const string Instance = "i-0a1b2c3d4e5f60718";
    private const string OtherInstance = "i-0fedcba9876543210";
    private const long JobId = 48213377001;
    private static readonly DateTimeOffset Started = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Completed = new(2026, 11, 20, 10, 6, 52, TimeSpan.Zero);
    private static readonly DateTimeOffset HistoryStart = new(2026, 11, 20, 10, 7, 0, TimeSpan.Zero);

    [Fact]
    public async Task Success_marks_the_job_cleans_the_parameters_and_counts_one_success()
    {
        var input = End(JobEndStatus.Success);
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.Completed,
            JobStatus = "success",
            Pool = "linux-x64",
            ParametersDeleted = 2,
            ParametersAlreadyGone = 0,
            MetricsSent = 2,
            Detail = $"job {JobId} marked success; parameters of {Instance}: 2 deleted, 0 already gone; 2 metric values sent",
        };
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, "linux-x64", "success", Instance))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 2)
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        Assert.Equal(
            new CompleteJobRequest
            {
                JobId = JobId,
                InstanceId = Instance,
                Status = "success",
                CompletedAt = Completed,
                StartedAt = Started,
                ExitCode = 0,
                DurationSeconds = 412,
                Error = null,
                InterruptedBy = null,
            },
            replay.Activities[0].Arg<CompleteJobRequest>());
        Assert.Equal(Instance, replay.Activities[1].Arg<string>());
        Assert.Equal(new JobMetrics("linux-x64", Succeeded: true, DurationSeconds: 412), replay.Activities[2].Arg<JobMetrics>());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
        Assert.Equal("linux-x64", replay.SearchAttributes?.Get(RunsFleetSearchAttributes.Pool));
        Assert.Equal(Instance, replay.SearchAttributes?.Get(RunsFleetSearchAttributes.InstanceId));
    }

    [Theory]
    [InlineData(JobEndStatus.Failure, "failure")]
    [InlineData(JobEndStatus.Timeout, "timeout")]
    [InlineData(JobEndStatus.Interrupted, "interrupted")]
    public async Task Other_job_ends_record_their_status_and_count_one_failure(JobEndStatus status, string recordStatus)
    {
        var input = End(status) with { ExitCode = 2, Error = "exit 2", InterruptedBy = status == JobEndStatus.Interrupted ? "spot-interruption" : null };
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, "arm64", recordStatus, Instance))
            .SearchAttributesUpserted(PoolAttribute("arm64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(1, 1))
            .ActivityCompleted("PublishJobMetrics", 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        Assert.Equal(
            new CompleteJobRequest
            {
                JobId = JobId,
                InstanceId = Instance,
                Status = recordStatus,
                CompletedAt = Completed,
                StartedAt = Started,
                ExitCode = 2,
                DurationSeconds = 412,
                Error = "exit 2",
                InterruptedBy = input.InterruptedBy,
            },
            replay.Activities[0].Arg<CompleteJobRequest>());
        Assert.Equal(new JobMetrics("arm64", Succeeded: false, DurationSeconds: 412), replay.Activities[2].Arg<JobMetrics>());
        var result = replay.Result<JobTerminationResult>();
        Assert.Equal((JobTerminationOutcome.Completed, recordStatus, 1, 1, 2), (result.Outcome, result.JobStatus, result.ParametersDeleted, result.ParametersAlreadyGone, result.MetricsSent));
    }

    [Fact]
    public async Task Duplicate_of_a_finished_job_cleans_the_parameters_and_counts_nothing()
    {
        var input = End(JobEndStatus.Success);
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.AlreadyTerminal,
            JobStatus = "success",
            Pool = "linux-x64",
            ParametersDeleted = 0,
            ParametersAlreadyGone = 2,
            MetricsSent = 0,
            Detail = $"job {JobId} was already success; record unchanged; parameters of {Instance}: 0 deleted, 2 already gone; 0 metric values sent",
        };
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.AlreadyTerminal, "linux-x64", "success", Instance))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(0, 2))
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters"], replay.ActivityTypes);
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
    }

    [Fact]
    public async Task Job_of_another_instance_is_left_alone_but_this_instance_is_cleaned()
    {
        var input = End(JobEndStatus.Failure);
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.OwnedByOtherInstance,
            JobStatus = "running",
            Pool = "linux-x64",
            ParametersDeleted = 2,
            ParametersAlreadyGone = 0,
            MetricsSent = 0,
            Detail = $"job {JobId} belongs to {OtherInstance}; record unchanged; parameters of {Instance}: 2 deleted, 0 already gone; 0 metric values sent",
        };
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.OwnedByOtherInstance, "linux-x64", "running", OtherInstance))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters"], replay.ActivityTypes);
        Assert.Equal(Instance, replay.Activities[1].Arg<string>());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
    }

    [Fact]
    public async Task Job_without_a_record_is_reported_not_found_cleaned_and_not_counted()
    {
        var input = End(JobEndStatus.Success);
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.NotFound,
            JobStatus = null,
            Pool = null,
            ParametersDeleted = 2,
            ParametersAlreadyGone = 0,
            MetricsSent = 0,
            Detail = $"job {JobId} not found; nothing marked; parameters of {Instance}: 2 deleted, 0 already gone; 0 metric values sent",
        };

        // No pool known: no search attribute upsert.
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.NotFound, null, null, null))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters"], replay.ActivityTypes);
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
        Assert.False(replay.SearchAttributes?.ContainsKey(RunsFleetSearchAttributes.Pool) ?? false);
    }

    [Fact]
    public async Task Missing_completed_at_is_taken_from_workflow_time()
    {
        var input = End(JobEndStatus.Success) with { CompletedAt = null };
        var history = History(input)
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.NotFound, null, null, null))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(0, 2))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        var completedAt = replay.Activities[0].Arg<CompleteJobRequest>().CompletedAt;
        Assert.InRange(completedAt, HistoryStart, HistoryStart.AddSeconds(1));
    }

    [Fact]
    public async Task Start_report_records_started_at_and_nothing_else()
    {
        var input = Start();
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.StartRecorded,
            JobStatus = "running",
            Pool = "linux-x64",
            ParametersDeleted = 0,
            ParametersAlreadyGone = 0,
            MetricsSent = 0,
            Detail = $"job {JobId} started at 2026-11-20T10:00:00Z",
        };
        var history = History(input)
            .ActivityCompleted("RecordJobStarted", new RecordJobStartedResult(RecordJobStartedOutcome.Recorded, "linux-x64", "running", "2026-11-20T10:00:00Z"))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["RecordJobStarted"], replay.ActivityTypes);
        Assert.Equal(new RecordJobStartedRequest(JobId, Instance, Started), replay.Activities[0].Arg<RecordJobStartedRequest>());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
        Assert.Equal("linux-x64", replay.SearchAttributes?.Get(RunsFleetSearchAttributes.Pool));
    }

    [Theory]
    [InlineData(RecordJobStartedOutcome.AlreadyRecorded, JobTerminationOutcome.StartAlreadyRecorded)]
    [InlineData(RecordJobStartedOutcome.AlreadyTerminal, JobTerminationOutcome.AlreadyTerminal)]
    [InlineData(RecordJobStartedOutcome.OwnedByOtherInstance, JobTerminationOutcome.OwnedByOtherInstance)]
    [InlineData(RecordJobStartedOutcome.NotFound, JobTerminationOutcome.NotFound)]
    public async Task Start_report_outcomes_are_shown_and_never_clean_up(RecordJobStartedOutcome activityOutcome, JobTerminationOutcome expected)
    {
        var input = Start() with { StartedAt = null };
        var history = History(input)
            .ActivityCompleted("RecordJobStarted", new RecordJobStartedResult(activityOutcome, null, null, null))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["RecordJobStarted"], replay.ActivityTypes);
        Assert.InRange(replay.Activities[0].Arg<RecordJobStartedRequest>().StartedAt, HistoryStart, HistoryStart.AddSeconds(1));
        var result = replay.Result<JobTerminationResult>();
        Assert.Equal(expected, result.Outcome);
        Assert.Equal((0, 0, 0), (result.ParametersDeleted, result.ParametersAlreadyGone, result.MetricsSent));
    }

    [Fact]
    public async Task Failed_bootstrap_cleans_the_parameters_and_counts_one_failure_without_touching_the_job()
    {
        var input = new JobTerminationInput
        {
            InstanceId = Instance,
            JobId = null,
            Status = JobEndStatus.BootstrapFailed,
            ExitCode = 0,
            DurationSeconds = 0,
            StartedAt = null,
            CompletedAt = null,
            Error = "runner registration failed",
            InterruptedBy = null,
            SqsMessageId = "m-1",
        };
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.BootstrapFailureCleanedUp,
            JobStatus = null,
            Pool = null,
            ParametersDeleted = 2,
            ParametersAlreadyGone = 0,
            MetricsSent = 1,
            Detail = $"runner on {Instance} failed to bootstrap; parameters of {Instance}: 2 deleted, 0 already gone; 1 metric values sent",
        };
        var history = History(input)
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 1)
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        Assert.Equal(Instance, replay.Activities[0].Arg<string>());
        var metrics = replay.Activities[1].Arg<JobMetrics>();
        Assert.Equal(new JobMetrics(null, Succeeded: false, DurationSeconds: 0), metrics);
        Assert.Equal(["JobFailure"], metrics.ToData().Select(d => d.Name).ToArray());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
    }

    [Fact]
    public async Task Every_activity_runs_under_the_short_aws_call_retry_policy()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, "linux-x64", "success", Instance))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.All(replay.Activities, activity =>
        {
            var retry = activity.Options.RetryPolicy;
            Assert.NotNull(retry);
            Assert.Equal(2, retry.BackoffCoefficient);
            Assert.Equal(TimeSpan.FromMinutes(1), retry.MaximumInterval);
            Assert.Contains(FailureTypes.InvalidInput, retry.NonRetryableErrorTypes!);
            Assert.Contains(FailureTypes.NotFound, retry.NonRetryableErrorTypes!);
            Assert.DoesNotContain("ThrottlingException", retry.NonRetryableErrorTypes!);
            Assert.Equal(TimeSpan.FromSeconds(30), activity.Options.StartToCloseTimeout);
        });
    }

    [Fact]
    public async Task Job_record_failure_fails_the_run_with_the_aws_type_and_runs_nothing_after_it()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityFailed("CompleteJob", "ResourceNotFoundException", "UpdateItem failed with ResourceNotFoundException: table missing")
            .WorkflowFailed("CompleteJob failed: UpdateItem failed with ResourceNotFoundException: table missing", "ResourceNotFoundException", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob"], replay.ActivityTypes);
        Assert.False(replay.Returned);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal("ResourceNotFoundException", failure.ErrorType);
        Assert.StartsWith("CompleteJob failed: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("table missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameter_clean_up_failure_fails_the_run_and_counts_nothing()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, null, "success", Instance))
            .ActivityFailed("DeleteRunnerParameters", "ThrottlingException", "DeleteParameters failed with ThrottlingException", nonRetryable: false)
            .WorkflowFailed("DeleteRunnerParameters failed: DeleteParameters failed with ThrottlingException", "ThrottlingException", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters"], replay.ActivityTypes);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal("ThrottlingException", failure.ErrorType);
        Assert.StartsWith("DeleteRunnerParameters failed: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_timing_out_for_good_fails_the_run_as_an_activity_timeout_after_the_clean_up()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, null, "success", Instance))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityTimedOut("PublishJobMetrics")
            .WorkflowFailed("PublishJobMetrics failed: activity ScheduleToClose timeout", "ActivityTimeout", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal("ActivityTimeout", failure.ErrorType);
        Assert.StartsWith("PublishJobMetrics failed: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_report_without_a_job_id_fails_as_invalid_input_before_any_activity()
    {
        var input = Start() with { JobId = null };
        var history = History(input, workflowId: "job-termination-nojob-started")
            .WorkflowFailed("status Started needs a positive job id", FailureTypes.InvalidInput, nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Empty(replay.ActivityTypes);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal(FailureTypes.InvalidInput, failure.ErrorType);
    }

    [Fact]
    public async Task Job_end_without_a_job_id_completes_the_only_active_job_of_the_instance()
    {
        var input = End(JobEndStatus.Failure) with { JobId = null, StartedAt = null, DurationSeconds = 0, Error = "registration_failed" };
        var history = History(input)
            .ActivityCompleted("FindActiveJobsOfInstance", new ActiveJobsOfInstance([JobId], 1))
            .SearchAttributesUpserted(JobIdAttribute(JobId))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, "linux-x64", "failure", Instance))
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["FindActiveJobsOfInstance", "CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        Assert.Equal(Instance, replay.Activities[0].Arg<string>());
        Assert.Equal(
            new CompleteJobRequest
            {
                JobId = JobId,
                InstanceId = Instance,
                Status = "failure",
                CompletedAt = Completed,
                StartedAt = null,
                ExitCode = 0,
                DurationSeconds = 0,
                Error = "registration_failed",
                InterruptedBy = null,
            },
            replay.Activities[1].Arg<CompleteJobRequest>());
        Assert.Equal(new JobMetrics("linux-x64", Succeeded: false, DurationSeconds: 0), replay.Activities[3].Arg<JobMetrics>());
        var result = replay.Result<JobTerminationResult>();
        Assert.Equal((JobTerminationOutcome.Completed, "failure", (long?)JobId, (int?)1), (result.Outcome, result.JobStatus, result.JobIdFoundByInstance, result.ActiveJobsOfInstance));
        Assert.StartsWith($"no job id reported; job {JobId} is the only active job of {Instance}; job {JobId} marked failure", result.Detail, StringComparison.Ordinal);
        Assert.Equal(JobId.ToString(System.Globalization.CultureInfo.InvariantCulture), replay.SearchAttributes?.Get(RunsFleetSearchAttributes.JobId));
    }

    [Theory]
    [InlineData(0, "no active job")]
    [InlineData(2, "2 or more active jobs")]
    public async Task Job_end_without_a_job_id_and_no_single_active_job_cleans_up_and_counts_one_failure(int activeJobs, string described)
    {
        var input = End(JobEndStatus.Success) with { JobId = null };
        long[] found = [.. Enumerable.Range(0, activeJobs).Select(i => JobId + i)];
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.JobNotIdentified,
            JobStatus = null,
            Pool = null,
            ParametersDeleted = 2,
            ParametersAlreadyGone = 0,
            MetricsSent = 1,
            Detail = $"no job id reported and {Instance} has {described}; no record marked; parameters of {Instance}: 2 deleted, 0 already gone; 1 metric values sent",
            JobIdFoundByInstance = null,
            ActiveJobsOfInstance = activeJobs,
        };
        var history = History(input)
            .ActivityCompleted("FindActiveJobsOfInstance", new ActiveJobsOfInstance(found, 1))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("PublishJobMetrics", 1)
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["FindActiveJobsOfInstance", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
        Assert.Equal(new JobMetrics(null, Succeeded: false, DurationSeconds: 0), replay.Activities[2].Arg<JobMetrics>());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
        Assert.False(replay.SearchAttributes?.ContainsKey(RunsFleetSearchAttributes.JobId) ?? false);
    }

    [Fact]
    public async Task History_that_completed_a_job_although_two_were_active_is_nondeterministic()
    {
        var history = History(End(JobEndStatus.Success) with { JobId = null })
            .ActivityCompleted("FindActiveJobsOfInstance", new ActiveJobsOfInstance([JobId, JobId + 1], 1))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, null, "success", Instance))
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    [Fact]
    public async Task History_with_the_clean_up_before_the_completion_is_nondeterministic()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.Completed, null, "success", Instance))
            .ActivityCompleted("PublishJobMetrics", 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    [Fact]
    public async Task History_that_counted_a_duplicate_is_nondeterministic()
    {
        var history = History(End(JobEndStatus.Success))
            .ActivityCompleted("CompleteJob", new CompleteJobResult(CompleteJobOutcome.AlreadyTerminal, null, "success", Instance))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(0, 2))
            .ActivityCompleted("PublishJobMetrics", 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    [Fact]
    public async Task History_of_a_start_report_that_cleaned_up_is_nondeterministic()
    {
        var history = History(Start())
            .ActivityCompleted("RecordJobStarted", new RecordJobStartedResult(RecordJobStartedOutcome.Recorded, null, "running", "2026-11-20T10:00:00Z"))
            .ActivityCompleted("DeleteRunnerParameters", new RunnerParametersDeleted(2, 0))
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    private static JobTerminationInput End(JobEndStatus status) =>
        new JobTerminationInput
        {
            InstanceId = Instance,
            JobId = JobId,
            Status = status,
            ExitCode = 0,
            DurationSeconds = 412,
            StartedAt = Started,
            CompletedAt = Completed,
            Error = null,
            InterruptedBy = null,
            SqsMessageId = "m-1",
        };

    private static JobTerminationInput Start() =>
        new JobTerminationInput
        {
            InstanceId = Instance,
            JobId = JobId,
            Status = JobEndStatus.Started,
            ExitCode = 0,
            DurationSeconds = 0,
            StartedAt = Started,
            CompletedAt = null,
            Error = null,
            InterruptedBy = null,
            SqsMessageId = "m-2",
        };

    // The bridge starts every run with the job and instance attributes.
    private static HistoryBuilder History(JobTerminationInput input, string? workflowId = null)
    {
        var attributes = new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.InstanceId, input.InstanceId);
        if (input.JobId is { } jobId)
        {
            attributes.Set(RunsFleetSearchAttributes.JobId, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new HistoryBuilder(JobTerminationIds.WorkflowType, input, workflowId ?? JobTerminationIds.For(input), startTime: HistoryStart)
            .WithStartSearchAttributes(attributes.ToSearchAttributeCollection());
    }

    private static SearchAttributeCollection JobIdAttribute(long jobId) =>
        new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.JobId, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToSearchAttributeCollection();

    private static SearchAttributeCollection PoolAttribute(string pool) =>
        new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.Pool, pool).ToSearchAttributeCollection();
}
