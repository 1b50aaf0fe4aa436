using RunsFleet.Activities.Sweeps;
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
        var result = new OrphanedJobSweepResult
        {
            DryRun = false, Now = DateTimeOffset.UnixEpoch, RuntimeCutoff = "c", MaxJobs = 100,
            Action = SweepAction.InstancesUnknown, Statuses = ["running"], JobsRead = 5, InstancesChecked = 4,
            OrphanedJobs = 3, InstanceGone = 3, OverAge = 0, Marked = 0, LeftAlone = 0, MarkFailed = 0,
            ParametersDeleted = 0, ParametersAlreadyGone = 0, KeptActive = 2, KeptUnreadable = 0, Jobs = [],
            Pages = 1, Runs = 1, Summary = "s",
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
