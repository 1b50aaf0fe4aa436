using RunsFleet.Activities.Metrics;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Activities.Jobs;
using RunsFleet.Tests.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// Every termination sample (byte-for-byte what runs-fleet's agent and boot shim send) gives
/// the outcome the samples README names, end to end: parsed by the bridge's parser, run
/// through the real JobTermination workflow (replayed step by step) with the real activities
/// against dynalite, the SSM fake and a recording metrics sink.
/// </summary>
public sealed class SharedSampleOutcomeTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    // The README's table: every sample file must be listed here, so a new one cannot go untested.
    private static readonly Dictionary<string, JobTerminationOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["started.json"] = JobTerminationOutcome.StartRecorded,
        ["success.json"] = JobTerminationOutcome.Completed,
        ["failure.json"] = JobTerminationOutcome.Completed,
        ["interrupted.json"] = JobTerminationOutcome.Completed,
        ["timeout-max-runtime.json"] = JobTerminationOutcome.Completed,
        ["failure-before-job-id.json"] = JobTerminationOutcome.Completed,
        ["bootstrap-failed.json"] = JobTerminationOutcome.BootstrapFailureCleanedUp,
        ["newer-agent-extra-fields.json"] = JobTerminationOutcome.Completed,
    };

    [Theory]
    [MemberData(nameof(SampleMessages.Termination), MemberType = typeof(SampleMessages))]
    public async Task Every_sample_reaches_its_outcome_through_the_workflow(string sample)
    {
        Assert.True(Outcomes.TryGetValue(sample, out var expected), $"{sample} has no expected outcome here: add it from the samples README");
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        var input = TerminationMessageParserInput(sample);
        fleet.SeedParameters(input.InstanceId);

        // The fleet created the record when it assigned the job (for a report without a job id,
        // the one job the fleet assigned to that instance).
        // A start report finds the record launched (runs-fleet's SaveJob); a job end finds it running.
        var jobId = input.JobId ?? 59112233450;
        if (input.Status != JobEndStatus.BootstrapFailed)
        {
            var status = input.Status == JobEndStatus.Started ? "launched" : "running";
            await JobItems.PutAsync(fleet.Db, fleet.Table, jobId, input.InstanceId, status);
        }

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", sample));

        Assert.Equal(expected, run.Result<JobTerminationResult>().Outcome);
        Assert.Equal(input.Status != JobEndStatus.Started, !fleet.HasParameters(input.InstanceId));
    }

    [Fact]
    public async Task Started_moves_the_launched_record_to_running_once_and_counts_the_runner_once()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233445, "i-0b3c5d7e9f1a2b4c6", "launched");
        var body = SampleMessages.Read("termination", "started.json");

        var first = await fleet.DeliverAsync(body);
        var afterFirst = JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445));
        var second = await fleet.DeliverAsync(body, "sqs-message-2");

        Assert.Equal(["RecordJobStarted", "PublishRunnerConfirmedMetrics"], first.ActivityTypes);
        Assert.Equal(["RecordJobStarted"], second.ActivityTypes);
        var firstResult = first.Result<JobTerminationResult>();
        Assert.Equal((JobTerminationOutcome.StartRecorded, 7), (firstResult.Outcome, firstResult.MetricsSent));
        Assert.Equal(JobTerminationOutcome.StartAlreadyRecorded, second.Result<JobTerminationResult>().Outcome);
        var item = await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445);
        Assert.Equal("2026-11-30T09:14:03Z", item!["started_at"].S);
        Assert.Equal("running", item["status"].S);
        Assert.False(item.ContainsKey("completed_at"));
        Assert.Equal(afterFirst, JobItems.Render(item));
        Assert.Equal("linux-x64", first.Final.SearchAttributes?.Get(RunsFleetSearchAttributes.Pool));

        // The runner, counted once, with the agent's own start-up phases from the sample.
        var confirmed = fleet.Metrics.Single(RunnerConfirmedMetrics.RunnerConfirmed);
        Assert.Equal("linux-x64", confirmed.Dimensions[JobMetrics.PoolDimension]);
        Assert.Equal(
            [
                ("boot", 11.423), ("config", 0.84), ("runner_download", 3.2715), ("registration", 1.9),
                ("total", 17.4345),
            ],
            fleet.Metrics.Named(RunnerConfirmedMetrics.AgentBootstrapSecondsName)
                .Select(m => (m.Dimensions["Phase"], m.Value))
                .ToArray());

        // JobItems' created_at is 2026-11-20T09:59:00Z, ten days before the sample's start.
        var provision = fleet.Metrics.Single(RunnerConfirmedMetrics.InstanceProvisionSeconds);
        Assert.Equal(("cold_start", 861_303.512), (provision.Dimensions["Source"], Math.Round(provision.Value, 3)));
        Assert.False(provision.Dimensions.ContainsKey("Family"));
    }

    [Fact]
    public async Task Success_completes_the_job_with_duration_412_and_counts_one_success()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233445, "i-0b3c5d7e9f1a2b4c6", "running");
        fleet.SeedParameters("i-0b3c5d7e9f1a2b4c6");

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", "success.json"));

        Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], run.ActivityTypes);
        var result = run.Result<JobTerminationResult>();
        Assert.Equal((JobTerminationOutcome.Completed, "success", 2, 2), (result.Outcome, result.JobStatus, result.ParametersDeleted, result.MetricsSent));
        var item = await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445);
        Assert.Equal("success", item!["status"].S);
        Assert.Equal("412", item["duration_seconds"].N);
        Assert.Equal("2026-11-30T09:14:03Z", item["started_at"].S);
        Assert.Equal("2026-11-30T09:20:55Z", item["completed_at"].S);
        Assert.Equal(1, fleet.Metrics.Single(JobMetrics.JobSuccess).Value);
        Assert.Equal(412, fleet.Metrics.Single(JobMetrics.JobDuration).Value);
        Assert.False(fleet.HasParameters("i-0b3c5d7e9f1a2b4c6"));
    }

    [Theory]
    [InlineData("failure.json", 59112233446, "i-0fedcba9876543210", "failure", "error", "exit status 2: make <test> && deploy")]
    [InlineData("interrupted.json", 59112233447, "i-0123456789abcdef0", "interrupted", "interrupted_by", "terminated")]
    [InlineData("timeout-max-runtime.json", 59112233448, "i-0a1b2c3d4e5f6071c", "timeout", "error", "max runtime 360m exceeded")]
    [InlineData("newer-agent-extra-fields.json", 59112233449, "i-0a1b2c3d4e5f6071b", "success", "completed_at", "2026-11-30T14:05:00Z")]
    public async Task Job_ends_are_recorded_with_what_the_agent_said(string sample, long jobId, string instanceId, string status, string attribute, string value)
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, jobId, instanceId, "running");
        fleet.SeedParameters(instanceId);

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", sample));

        Assert.Equal((JobTerminationOutcome.Completed, status), (run.Result<JobTerminationResult>().Outcome, run.Result<JobTerminationResult>().JobStatus));
        var item = await JobItems.GetAsync(fleet.Db, fleet.Table, jobId);
        Assert.Equal(status, item!["status"].S);
        Assert.Equal(value, item[attribute].S);
        Assert.Single(fleet.Metrics.Named(status == "success" ? JobMetrics.JobSuccess : JobMetrics.JobFailure));
        Assert.False(fleet.HasParameters(instanceId));
    }

    [Fact]
    public async Task Timeout_at_the_same_nanosecond_records_started_at_equal_to_completed_at()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233448, "i-0a1b2c3d4e5f6071c", "running");

        await fleet.DeliverAsync(SampleMessages.Read("termination", "timeout-max-runtime.json"));

        var item = await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233448);
        Assert.Equal("timeout", item!["status"].S);
        Assert.Equal("2026-11-30T15:00:00Z", item["started_at"].S);
        Assert.Equal(item["started_at"].S, item["completed_at"].S);
        Assert.Equal("-1", item["exit_code"].N);
    }

    [Fact]
    public async Task Failure_before_the_job_id_completes_the_one_job_the_instance_has()
    {
        const string instance = "i-0a1b2c3d4e5f6071d";
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233400, instance, "success");
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233450, instance, "assigned", pool: "arm64");
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233451, JobItems.OtherInstance, "running");
        var finishedBefore = JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233400));
        var neighbourBefore = JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233451));
        fleet.SeedParameters(instance);

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", "failure-before-job-id.json"));

        Assert.Equal(["FindActiveJobsOfInstance", "CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], run.ActivityTypes);
        var result = run.Result<JobTerminationResult>();
        Assert.Equal((JobTerminationOutcome.Completed, "failure", (long?)59112233450, (int?)1), (result.Outcome, result.JobStatus, result.JobIdFoundByInstance, result.ActiveJobsOfInstance));
        var item = await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233450);
        Assert.Equal("failure", item!["status"].S);
        Assert.Equal("registration_failed: runner config not found", item["error"].S);
        Assert.Equal("2026-11-30T16:02:11Z", item["completed_at"].S);
        Assert.False(item.ContainsKey("started_at"));
        Assert.Equal(finishedBefore, JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233400)));
        Assert.Equal(neighbourBefore, JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233451)));
        Assert.Equal("arm64", Assert.Single(fleet.Metrics.Named(JobMetrics.JobFailure)).Dimensions[JobMetrics.PoolDimension]);
        Assert.Empty(fleet.Metrics.Named(JobMetrics.JobSuccess));
        Assert.False(fleet.HasParameters(instance));
        Assert.Equal("59112233450", run.Final.SearchAttributes?.Get(RunsFleetSearchAttributes.JobId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Failure_before_the_job_id_without_exactly_one_active_job_cleans_up_and_counts_one_failure(int activeJobs)
    {
        const string instance = "i-0a1b2c3d4e5f6071d";
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233400, instance, "success");
        for (var i = 0; i < activeJobs; i++)
        {
            await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233460 + i, instance, "running");
        }

        var before = await RenderAllAsync(fleet, activeJobs);
        fleet.SeedParameters(instance);

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", "failure-before-job-id.json"));

        Assert.Equal(["FindActiveJobsOfInstance", "DeleteRunnerParameters", "PublishJobMetrics"], run.ActivityTypes);
        var result = run.Result<JobTerminationResult>();
        Assert.Equal(JobTerminationOutcome.JobNotIdentified, result.Outcome);
        Assert.Equal(Math.Min(activeJobs, 2), result.ActiveJobsOfInstance);
        Assert.Null(result.JobIdFoundByInstance);
        Assert.Equal((2, 1), (result.ParametersDeleted, result.MetricsSent));
        Assert.Equal(before, await RenderAllAsync(fleet, activeJobs));
        Assert.Equal(1, fleet.Metrics.Single(JobMetrics.JobFailure).Value);
        Assert.Equal([JobMetrics.JobFailure], fleet.Metrics.All.Select(m => m.Name).ToArray());
        Assert.False(fleet.HasParameters(instance));
    }

    [Fact]
    public async Task Bootstrap_failure_from_the_multi_line_shim_message_without_a_job_cleans_up_and_counts()
    {
        const string instance = "i-0a1b2c3d4e5f6071a";
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        fleet.SeedParameters(instance);
        fleet.SeedParameters(JobItems.Instance);

        var run = await fleet.DeliverAsync(SampleMessages.Read("termination", "bootstrap-failed.json"));

        Assert.Equal(
            ["FindRequeueCandidate", "DeleteRunnerParameters", "PublishBootstrapFailureMetrics"],
            run.ActivityTypes);
        var result = run.Result<JobTerminationResult>();
        Assert.Equal(
            (JobTerminationOutcome.BootstrapFailureCleanedUp, (BootstrapRequeue?)BootstrapRequeue.NoJob, 2, 1),
            (result.Outcome, result.Requeue, result.ParametersDeleted, result.MetricsSent));
        Assert.False(fleet.HasParameters(instance));
        Assert.True(fleet.HasParameters(JobItems.Instance));
        Assert.Equal(1, fleet.Metrics.Single(JobMetrics.JobFailure).Value);
        Assert.Empty(fleet.Metrics.Single(JobMetrics.JobFailure).Dimensions);
    }

    [Fact]
    public async Task Success_before_started_on_a_standard_queue_leaves_the_finished_record_unchanged()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233445, "i-0b3c5d7e9f1a2b4c6", "running");

        var success = await fleet.DeliverAsync(SampleMessages.Read("termination", "success.json"), "sqs-message-1");
        var afterSuccess = JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445));
        var started = await fleet.DeliverAsync(SampleMessages.Read("termination", "started.json"), "sqs-message-2");

        Assert.Equal(JobTerminationOutcome.Completed, success.Result<JobTerminationResult>().Outcome);
        Assert.Equal(JobTerminationOutcome.AlreadyTerminal, started.Result<JobTerminationResult>().Outcome);
        Assert.Equal(afterSuccess, JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445)));
        Assert.Single(fleet.Metrics.Named(JobMetrics.JobSuccess));
    }

    [Fact]
    public async Task The_same_success_twice_is_counted_once()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite);
        await JobItems.PutAsync(fleet.Db, fleet.Table, 59112233445, "i-0b3c5d7e9f1a2b4c6", "running");
        var body = SampleMessages.Read("termination", "success.json");

        var first = await fleet.DeliverAsync(body, "sqs-message-1");
        var afterFirst = JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445));
        var second = await fleet.DeliverAsync(body, "sqs-message-2");

        Assert.Equal(JobTerminationOutcome.Completed, first.Result<JobTerminationResult>().Outcome);
        Assert.Equal(JobTerminationOutcome.AlreadyTerminal, second.Result<JobTerminationResult>().Outcome);
        Assert.Equal(["CompleteJob", "DeleteRunnerParameters"], second.ActivityTypes);
        Assert.Equal(afterFirst, JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233445)));
        Assert.Single(fleet.Metrics.Named(JobMetrics.JobSuccess));
        Assert.Single(fleet.Metrics.Named(JobMetrics.JobDuration));
    }

    private static JobTerminationInput TerminationMessageParserInput(string sample) =>
        RunsFleet.SqsBridge.Contracts.TerminationMessageParser.Parse(SampleMessages.Read("termination", sample)).Value
        ?? throw new InvalidOperationException($"{sample} is rejected");

    private static async Task<string> RenderAllAsync(TerminationFleet fleet, int activeJobs)
    {
        var rendered = new List<string> { JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233400)) };
        for (var i = 0; i < activeJobs; i++)
        {
            rendered.Add(JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, 59112233460 + i)));
        }

        return string.Join("---\n", rendered);
    }
}
