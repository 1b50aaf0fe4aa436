using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Cli.Sweeps;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli.Sweeps;

/// <summary>How the CLI reads a sweep's end: the refusal reasons reach the operator.</summary>
public sealed class SweepResultsTests
{
    [Fact]
    public void A_sweep_that_failed_in_an_activity_shows_the_activity_s_reason()
    {
        var refused = new ApplicationFailureException(
            "Override refused: max_jobs=500 is above the configured 100 (RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS): a trigger may only lower it",
            errorType: "InvalidInput",
            nonRetryable: true);

        var text = SweepResults.FailureText(new InvalidOperationException("Activity task failed", refused));

        Assert.Equal(
            "Activity task failed: Override refused: max_jobs=500 is above the configured 100 (RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS): a trigger may only lower it",
            text);
        Assert.Equal("ec2 throttled", SweepResults.FailureText(new InvalidOperationException("ec2 throttled")));
    }

    [Fact]
    public void Orphaned_jobs_left_alone_because_ec2_knew_no_instance_need_attention()
    {
        var result = new OrphanedJobSweepResult(
            false, DateTimeOffset.UnixEpoch, "c", 100, OrphanedJobAction.InstancesUnknown, ["running"], 5, 4, 3, 3, 0, 0, 0, 0, 0, 0, 2, 0, [], 1, 1, "s")
        {
            InstancesKnown = 0,
            KeptYoung = 2,
        };

        var outcome = SweepResults.Of(result);

        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal(
            "EC2 knew none of the 4 instances looked up (wrong region or account?); none of 3 orphaned jobs was marked",
            Assert.Single(outcome.Problems));
        Assert.Contains(outcome.Figures, f => f.Key == "instances known" && f.Value == "0/4");
        Assert.Contains(outcome.Figures, f => f.Key == "kept: young" && f.Value == "2");
    }
}
