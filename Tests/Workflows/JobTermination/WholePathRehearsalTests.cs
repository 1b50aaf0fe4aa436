using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Testing;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// Runs here, with no server: the live tests' own seeds and sample through the same activities,
/// in the order the workflows call them, so the numbers <see cref="WholePathLiveTests"/> expects
/// (record timings, 2 parameters, 2 metric values, 3 stale of 6) are checked on every machine,
/// not only where a Temporal server exists.
/// </summary>
public sealed class WholePathRehearsalTests : IClassFixture<DynaliteFixture>
{
    private readonly DynaliteFixture _dynalite;

    public WholePathRehearsalTests(DynaliteFixture dynalite) => _dynalite = dynalite;

    [Fact]
    public async Task The_live_success_sample_and_seed_complete_the_job_delete_two_parameters_and_send_two_metric_values()
    {
        var jobId = LiveSeeds.NewJobId();
        var instanceId = LiveSeeds.NewInstanceId();
        var otherInstanceId = LiveSeeds.NewInstanceId();
        var input = TerminationMessageParser.Parse(LiveSeeds.SuccessSample(jobId, instanceId)).Value;
        Assert.NotNull(input);
        Assert.Equal($"job-termination-{jobId}-{instanceId}", JobTerminationIds.For(input));

        var table = await _dynalite.CreateJobsTableAsync();
        using var db = _dynalite.CreateClient();
        await LiveSeeds.SeedRunningJobAsync(db, table, jobId, instanceId);
        await using var ssm = new FakeSsmServer();
        LiveSeeds.SeedInstanceParameters(ssm, instanceId, otherInstanceId);
        using var ssmClient = AwsClients.Ssm(ssm.ServiceUrl);
        using var logs = new LogCapture();
        var metrics = new RecordingMetricsSink();
        var records = new JobRecordActivities(db, Options.Create(new JobsTableOptions { TableName = table }), logs.Logger<JobRecordActivities>());
        var parameters = new RunnerParameterActivities(ssmClient, Options.Create(new RunnerParameterOptions()), logs.Logger<RunnerParameterActivities>());
        var environment = new ActivityEnvironment();

        var completion = await environment.RunAsync(() => records.CompleteJobAsync(new CompleteJobRequest
        {
            JobId = jobId,
            InstanceId = instanceId,
            Status = JobStatusMapping.ToRecordStatus(input.Status),
            CompletedAt = input.CompletedAt!.Value,
            StartedAt = input.StartedAt,
            ExitCode = input.ExitCode,
            DurationSeconds = input.DurationSeconds,
            Error = input.Error,
            InterruptedBy = input.InterruptedBy,
        }));
        var deleted = await environment.RunAsync(() => parameters.DeleteRunnerParametersAsync(instanceId));
        var sent = await environment.RunAsync(() => new JobMetricsActivities(metrics).PublishJobMetricsAsync(
            new JobMetrics(completion.Pool, JobStatusMapping.CountsAsSuccess(input.Status), input.DurationSeconds)));

        Assert.Equal(CompleteJobOutcome.Completed, completion.Outcome);
        Assert.Equal(LiveSeeds.Pool, completion.Pool);
        Assert.Equal(new RunnerParametersDeleted(2, 0), deleted);
        Assert.Equal(2, sent);
        var record = await LiveSeeds.ReadJobAsync(db, table, jobId);
        Assert.Equal("success", record[JobRecord.Status].S);
        Assert.Equal("2026-11-30T09:14:03Z", record[JobRecord.StartedAt].S);
        Assert.Equal("2026-11-30T09:20:55Z", record[JobRecord.CompletedAt].S);
        Assert.Equal("412", record[JobRecord.DurationSeconds].N);
        Assert.Equal("0", record[JobRecord.ExitCode].N);
        Assert.Equal([$"{LiveSeeds.ParameterPrefix}{otherInstanceId}/config"], ssm.Names);
        Assert.Equal(412, metrics.Single(JobMetrics.JobDuration).Value);
        Assert.Equal(LiveSeeds.Pool, metrics.Single(JobMetrics.JobSuccess).Dimensions[JobMetrics.PoolDimension]);
    }

    [Fact]
    public async Task The_live_runner_parameter_seed_has_three_stale_of_six_and_only_a_real_sweep_deletes_them()
    {
        await using var ssm = new FakeSsmServer();
        await using var ec2 = new FakeEc2Server();
        var (stale, kept) = LiveSeeds.SeedRunnerParameters(ssm, ec2);
        using var logs = new LogCapture();
        var metrics = new RecordingMetricsSink();
        var activities = new StaleSsmSweepActivities(
            AwsClients.Ssm(ssm.ServiceUrl),
            AwsClients.Ec2(ec2.ServiceUrl),
            Options.Create(new StaleSsmSweepOptions { ParameterPrefix = LiveSeeds.ParameterPrefix }),
            metrics,
            logs.Logger<StaleSsmSweepActivities>());
        var environment = new ActivityEnvironment();
        var settings = await environment.RunAsync(() => activities.PlanStaleSsmSweepAsync(30));
        StaleSsmSweepPageRequest Page(bool dryRun) => new()
        {
            ParameterPrefix = settings.ParameterPrefix,
            PageSize = settings.PageSize,
            Now = DateTimeOffset.UtcNow,
            GraceMinutes = settings.GraceMinutes,
            DryRun = dryRun,
        };

        var dryRun = await environment.RunAsync(() => activities.SweepStaleParameterPageAsync(Page(dryRun: true)));
        var namesAfterDryRun = ssm.Names;
        var real = await environment.RunAsync(() => activities.SweepStaleParameterPageAsync(Page(dryRun: false)));

        Assert.Null(dryRun.NextToken);
        Assert.Equal(6, dryRun.Listed);
        Assert.Equal(stale.Order(StringComparer.Ordinal), dryRun.StaleNames.Order(StringComparer.Ordinal));
        Assert.Equal(0, dryRun.Deleted);
        Assert.Equal(1, dryRun.KeptYoung);
        Assert.Equal(1, dryRun.KeptInstanceAlive);
        Assert.Single(dryRun.UnparseableNames);
        Assert.Equal(stale.Concat(kept).Order(StringComparer.Ordinal), namesAfterDryRun);
        Assert.Equal(3, real.Deleted);
        Assert.Equal(kept.Order(StringComparer.Ordinal), ssm.Names);
        Assert.Equal(3, metrics.Single(StaleSsmSweepActivities.DeletedMetric).Value);
    }
}
