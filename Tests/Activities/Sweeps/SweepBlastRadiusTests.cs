using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Activities.Sweeps;

/// <summary>The one blast-radius decision of the capped sweeps (StrayInstances, OrphanedJobs).</summary>
public sealed class SweepBlastRadiusTests
{
    [Theory]
    [InlineData(0, 50, false, SweepAction.Nothing)]
    [InlineData(0, 50, true, SweepAction.Nothing)]      // a dry run shows what a real run would do: nothing
    [InlineData(50, 50, false, SweepAction.Act)]        // exactly the cap: acted on
    [InlineData(51, 50, false, SweepAction.CapReached)] // one more: none
    [InlineData(51, 50, true, SweepAction.CapReached)]  // the cap before the dry run
    [InlineData(10, 50, true, SweepAction.DryRun)]
    [InlineData(1, 0, false, SweepAction.CapReached)]
    public void Decide_checks_the_cap_before_the_dry_run(long found, int cap, bool dryRun, SweepAction expected) =>
        Assert.Equal(expected, SweepBlastRadius.Decide(found, cap, dryRun));

    [Theory]
    [InlineData(SweepAction.Act, "\"Terminate\"", "\"Mark\"")]
    [InlineData(SweepAction.Nothing, "\"Nothing\"", "\"Nothing\"")]
    [InlineData(SweepAction.DryRun, "\"DryRun\"", "\"DryRun\"")]
    [InlineData(SweepAction.CapReached, "\"CapReached\"", "\"CapReached\"")]
    [InlineData(SweepAction.InstancesUnknown, "\"InstancesUnknown\"", "\"InstancesUnknown\"")]
    public void Results_write_the_action_as_each_sweep_always_named_it(SweepAction action, string stray, string jobs)
    {
        var strayJson = System.Text.Json.JsonSerializer.Serialize(StraySample with { Action = action });
        var jobsJson = System.Text.Json.JsonSerializer.Serialize(JobsSample with { Action = action });

        Assert.Contains("\"Action\":" + stray, strayJson, StringComparison.Ordinal);
        Assert.Contains("\"Action\":" + jobs, jobsJson, StringComparison.Ordinal);
        Assert.Equal(action, System.Text.Json.JsonSerializer.Deserialize<StrayInstanceSweepResult>(strayJson)!.Action);
        Assert.Equal(action, System.Text.Json.JsonSerializer.Deserialize<OrphanedJobSweepResult>(jobsJson)!.Action);
    }

    private static StrayInstanceSweepResult StraySample => new()
    {
        DryRun = false, Now = DateTimeOffset.UnixEpoch, Cutoff = DateTimeOffset.UnixEpoch, MaxTerminations = 50,
        Action = SweepAction.Act, Scanned = 1, Young = 0, Candidates = 1, OrphansFound = 1, Terminated = 1,
        Kept = StrayInstanceKeptCounts.Zero, Instances = [], UnlistedInstances = 0, Pages = 1, Runs = 1, Summary = "s",
    };

    private static OrphanedJobSweepResult JobsSample => new()
    {
        DryRun = false, Now = DateTimeOffset.UnixEpoch, RuntimeCutoff = "c", MaxJobs = 10, Action = SweepAction.Act,
        Statuses = ["running"], JobsRead = 1, InstancesChecked = 1, OrphanedJobs = 1, InstanceGone = 1, OverAge = 0,
        Marked = 1, LeftAlone = 0, MarkFailed = 0, ParametersDeleted = 0, ParametersAlreadyGone = 0, KeptActive = 0,
        KeptUnreadable = 0, Jobs = [], Pages = 1, Runs = 1, Summary = "s",
    };
}
