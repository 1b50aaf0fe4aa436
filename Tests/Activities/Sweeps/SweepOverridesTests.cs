using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Activities.Sweeps;

/// <summary>
/// A trigger's overrides may only make a sweep more careful than configured, in every sweep that takes
/// them (OrphanedJobSweep's are in OrphanedJobSweepActivitiesTests). The settings activities make no AWS call.
/// </summary>
public sealed class SweepOverridesTests
{
    private const string NoEndpoint = "http://127.0.0.1:9";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, 360, null)]
    [InlineData(360, 360, null)]
    [InlineData(361, 360, null)]
    [InlineData(359, 360, "p=359 is shorter than the configured 360 (V): a trigger may only lengthen it; shorten it in the worker's configuration")]
    public void A_threshold_may_only_be_lengthened(int? requested, int configured, string? problem)
    {
        Assert.Equal(problem, SweepOverrides.ThresholdProblem(requested, configured, "p", "V"));
    }

    [Theory]
    [InlineData(null, 50, null)]
    [InlineData(50, 50, null)]
    [InlineData(1, 50, null)]
    [InlineData(51, 50, "p=51 is above the configured 50 (V): a trigger may only lower it; raise it in the worker's configuration")]
    public void A_cap_may_only_be_lowered(int? requested, int configured, string? problem)
    {
        Assert.Equal(problem, SweepOverrides.CapProblem(requested, configured, "p", "V"));
    }

    [Theory]
    [InlineData(300, null, "max_runtime_minutes=300 is shorter than the configured 360 (RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES)")]
    [InlineData(1, null, "max_runtime_minutes=1 is shorter than the configured 360 (RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES)")]
    [InlineData(null, 51, "max_terminations=51 is above the configured 50 (RUNS_FLEET_ORPHAN_MAX_TERMINATIONS)")]
    public async Task Orphan_sweep_refuses_a_shorter_runtime_and_a_higher_cap(int? runtime, int? cap, string reason)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => OrphanSweep().PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, runtime, cap, null)));

        AssertRefused(failure, reason);
    }

    [Fact]
    public async Task Orphan_sweep_takes_a_longer_runtime_and_a_lower_cap()
    {
        var plan = await OrphanSweep().PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(Now, 720, 5, null));

        Assert.Equal((720, 5), (plan.MaxRuntimeMinutes, plan.MaxTerminations));
        Assert.Equal(Now.AddMinutes(-730), plan.Cutoff);
    }

    [Theory]
    [InlineData(9, "grace_minutes=9 is shorter than the configured 10 (RUNS_FLEET_STALE_SSM_GRACE_MINUTES)")]
    [InlineData(1, "grace_minutes=1 is shorter than the configured 10 (RUNS_FLEET_STALE_SSM_GRACE_MINUTES)")]
    public async Task Stale_ssm_sweep_refuses_a_shorter_grace(int grace, string reason)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => StaleSsm().PlanStaleSsmSweepAsync(grace));

        AssertRefused(failure, reason);
        Assert.Equal(60, (await StaleSsm().PlanStaleSsmSweepAsync(60)).GraceMinutes);
        Assert.Equal(10, (await StaleSsm().PlanStaleSsmSweepAsync(null)).GraceMinutes);
    }

    [Theory]
    [InlineData(6, "retention_days=6 is shorter than the configured 7 (RUNS_FLEET_JOB_RETENTION_DAYS)")]
    [InlineData(1, "retention_days=1 is shorter than the configured 7 (RUNS_FLEET_JOB_RETENTION_DAYS)")]
    public async Task Old_job_archival_refuses_a_shorter_retention(int days, string reason)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => OldJobs().PlanJobArchiveAsync(days));

        AssertRefused(failure, reason);
        Assert.Equal(30, (await OldJobs().PlanJobArchiveAsync(30)).RetentionDays);
        Assert.Equal(7, (await OldJobs().PlanJobArchiveAsync(null)).RetentionDays);
    }

    private static void AssertRefused(ApplicationFailureException failure, string reason)
    {
        Assert.Equal((FailureTypes.InvalidInput, true), (failure.ErrorType, failure.NonRetryable));
        Assert.StartsWith("Override refused: " + reason + ": a trigger may only ", failure.Message, StringComparison.Ordinal);
    }

    private static StrayInstanceSweepActivities OrphanSweep() => new(
        AwsClients.Ec2(NoEndpoint),
        AwsClients.DynamoDb(NoEndpoint),
        Options.Create(new StrayInstanceSweepOptions()),
        Options.Create(new JobsTableOptions()),
        new RecordingMetricsSink(),
        NullLogger<StrayInstanceSweepActivities>.Instance);

    private static StaleSsmSweepActivities StaleSsm() => new(
        AwsClients.Ssm(NoEndpoint), AwsClients.Ec2(NoEndpoint), Options.Create(new StaleSsmSweepOptions()), new RecordingMetricsSink(), NullLogger<StaleSsmSweepActivities>.Instance);

    private static JobArchiveActivities OldJobs() => new(
        AwsClients.DynamoDb(NoEndpoint),
        AwsClients.S3(NoEndpoint),
        Options.Create(new JobsTableOptions()),
        Options.Create(new JobArchiveOptions()),
        new RecordingMetricsSink(),
        TimeProvider.System,
        NullLogger<JobArchiveActivities>.Instance);
}
