using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

public class StrayInstancePhaseRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-30);
    private static readonly JobHistory NoRecords = new(JobLookup.None, 0, []);
    private static readonly RunnerEvidence Tagged = new(RunnerEvidenceState.Found, "tagged runs-fleet:run-id");

    [Theory]
    [InlineData("untagged, old, no job", false, "running", -1, "none", StrayInstanceVerdict.Orphan)]
    [InlineData("untagged and stopped", false, "stopped", -60, "none", StrayInstanceVerdict.Orphan)]
    [InlineData("exactly at the cutoff", false, "running", 0, "none", StrayInstanceVerdict.Young)]
    [InlineData("tagged managed", true, "running", -60, "none", StrayInstanceVerdict.NotCandidate)]
    [InlineData("active job", false, "running", -60, "active", StrayInstanceVerdict.ActiveJob)]
    [InlineData("failed lookup", false, "running", -60, "failed", StrayInstanceVerdict.LookupFailed)]
    [InlineData("no lookup made", false, "running", -60, null, StrayInstanceVerdict.LookupFailed)]
    public void Unmanaged_profile_rule(string name, bool managed, string state, int launchMinutesFromCutoff, string? lookup, StrayInstanceVerdict expected)
    {
        var instance = Instance(state, Cutoff.AddMinutes(launchMinutesFromCutoff)) with { IsManaged = managed };

        var assessment = StrayInstancePhaseRules.UnmanagedProfile(instance, Cutoff, Lookup(lookup), Tagged);

        Assert.True(expected == assessment.Verdict, $"{name}: {assessment.Verdict} ({assessment.Reason})");
    }

    [Fact]
    public void Unmanaged_profile_keeps_protected_and_undated_instances()
    {
        var untagged = Instance("stopped", Cutoff.AddHours(-1)) with { IsManaged = false };
        Assert.Equal(StrayInstanceVerdict.Protected, StrayInstancePhaseRules.UnmanagedProfile(untagged with { IsProtected = true }, Cutoff, JobLookup.None, Tagged).Verdict);
        Assert.Equal(StrayInstanceVerdict.MissingLaunchTime, StrayInstancePhaseRules.UnmanagedProfile(untagged with { LaunchTime = null }, Cutoff, JobLookup.None, Tagged).Verdict);
    }

    [Fact]
    public void Unclaimed_is_an_up_instance_outside_pools_without_any_job_record_past_its_grace()
    {
        var old = Instance("running", Cutoff.AddSeconds(-1));
        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Unclaimed(old, Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Unclaimed(old with { State = "pending" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.Young, StrayInstancePhaseRules.Unclaimed(Instance("running", Cutoff), Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.Unclaimed(old with { Pool = "warm" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.Unclaimed(old with { State = "stopped" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.Unclaimed(old, Cutoff, History(Now.AddHours(-2))).Verdict);
        Assert.Equal(StrayInstanceVerdict.Protected, StrayInstancePhaseRules.Unclaimed(old with { IsProtected = true }, Cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.ActiveJob, StrayInstancePhaseRules.Unclaimed(old, Cutoff, new JobHistory(JobLookup.Active(9), 1, [])).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.Unclaimed(old, Cutoff, JobHistory.Failed("Throttled")).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.Unclaimed(old, Cutoff, null).Verdict);
    }

    [Fact]
    public void Completed_needs_every_job_of_this_launch_finished_before_the_cutoff()
    {
        var cutoff = Now.AddMinutes(-15);
        var launched = Now.AddHours(-2);
        var up = Instance("running", launched);

        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Completed(up, cutoff, History(cutoff.AddSeconds(-1))).Verdict);
        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Completed(up, cutoff, History(launched.AddMinutes(5), cutoff.AddMinutes(-1))).Verdict);
        // The last completion decides, and it must be strictly before the cutoff.
        Assert.Equal(StrayInstanceVerdict.Young, StrayInstancePhaseRules.Completed(up, cutoff, History(launched.AddMinutes(5), cutoff)).Verdict);
        Assert.Equal(StrayInstanceVerdict.Young, StrayInstancePhaseRules.Completed(up, cutoff, History(Now.AddMinutes(-1))).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.Completed(up with { Pool = "warm" }, cutoff, History(launched.AddMinutes(5))).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.Completed(up, cutoff, NoRecords).Verdict);
        Assert.Equal(StrayInstanceVerdict.ActiveJob, StrayInstancePhaseRules.Completed(up, cutoff, new JobHistory(JobLookup.Active(3), 2, [launched.AddMinutes(1)])).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.Completed(up, cutoff, JobHistory.Failed("AccessDenied")).Verdict);
    }

    [Fact]
    public void Completed_ignores_records_of_a_previous_life_and_keeps_undated_ones()
    {
        var cutoff = Now.AddMinutes(-15);
        var restarted = Instance("running", Now.AddMinutes(-40));

        // Its only job finished before this launch: a restarted instance's old record does not count.
        var previousLife = StrayInstancePhaseRules.Completed(restarted, cutoff, History(Now.AddHours(-3)));
        Assert.Equal(StrayInstanceVerdict.NotCandidate, previousLife.Verdict);
        // Completed exactly at the launch belongs to this life.
        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Completed(restarted, cutoff, History(Now.AddMinutes(-40))).Verdict);
        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.Completed(restarted, cutoff, History(Now.AddHours(-3), Now.AddMinutes(-20))).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.Completed(restarted, cutoff, new JobHistory(JobLookup.None, 1, [null])).Verdict);
    }

    [Fact]
    public void Abandoned_stopped_is_a_stopped_instance_outside_pools_past_its_grace()
    {
        var cutoff = Now.AddHours(-24);
        var stopped = Instance("stopped", cutoff.AddSeconds(-1));

        Assert.Equal(StrayInstanceVerdict.Orphan, StrayInstancePhaseRules.AbandonedStopped(stopped, cutoff, JobLookup.None).Verdict);
        Assert.Equal(StrayInstanceVerdict.Young, StrayInstancePhaseRules.AbandonedStopped(stopped with { LaunchTime = cutoff }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.AbandonedStopped(stopped with { Pool = "warm" }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.AbandonedStopped(stopped with { State = "running" }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(StrayInstanceVerdict.Protected, StrayInstancePhaseRules.AbandonedStopped(stopped with { IsProtected = true }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(StrayInstanceVerdict.ActiveJob, StrayInstancePhaseRules.AbandonedStopped(stopped, cutoff, JobLookup.Active(5)).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.AbandonedStopped(stopped, cutoff, null).Verdict);
    }

    [Fact]
    public void The_profile_filter_takes_an_arn_as_given_and_a_name_at_any_path()
    {
        Assert.Equal(
            ["arn:aws:iam::123456789012:instance-profile/runner"],
            StrayInstancePhaseRules.ProfileArnFilter(" arn:aws:iam::123456789012:instance-profile/runner "));
        Assert.Equal(
            ["arn:*:iam::*:instance-profile/runner", "arn:*:iam::*:instance-profile/*/runner"],
            StrayInstancePhaseRules.ProfileArnFilter("runner"));
    }

    [Fact]
    public void The_recheck_names_what_changed_for_the_phase_that_found_the_orphan()
    {
        var running = Instance("running", Now.AddDays(-1));
        Assert.Null(StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.Unclaimed, running));
        Assert.Contains("stopped since the scan", StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.Completed, running with { State = "stopped" }), StringComparison.Ordinal);
        Assert.Null(StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.AbandonedStopped, running with { State = "stopped" }));
        Assert.Contains("no longer stopped", StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.AbandonedStopped, running), StringComparison.Ordinal);
        Assert.Null(StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.UnmanagedProfile, running with { State = "stopped", IsManaged = false }));
        Assert.Contains("managed", StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.UnmanagedProfile, running with { IsManaged = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Cutoffs_follow_the_switches_and_graces()
    {
        var defaults = new StrayInstanceSweepOptions().PhaseCutoffs(Now);
        Assert.Null(defaults.UnmanagedProfile);
        Assert.False(defaults.ListsRunnerProfile);
        Assert.Equal((Now.AddMinutes(-30), Now.AddMinutes(-15)), (defaults.Unclaimed!.Value, defaults.Completed!.Value));
        Assert.Null(defaults.AbandonedStopped);

        var all = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runner", StoppedEnabled = true, StoppedGraceHours = 48, ProfileGraceMinutes = 20 }.PhaseCutoffs(Now);
        Assert.True(all.ListsRunnerProfile);
        Assert.Equal((Now.AddMinutes(-20), Now.AddHours(-48)), (all.UnmanagedProfile!.Value, all.AbandonedStopped!.Value));

        var off = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runner", ProfileEnabled = false, UnclaimedEnabled = false, CompletedEnabled = false, PackerEnabled = false }.PhaseCutoffs(Now);
        Assert.Equal(StrayInstancePhaseCutoffs.Off, off);
        Assert.False(off.ListsRunnerProfile);
    }

    private static FleetInstance Instance(string state, DateTimeOffset? launched) =>
        new("i-0123456789abcdef0", state, launched, "m5.large", false, null, IsManaged: true);

    private static JobHistory History(params DateTimeOffset[] completions) =>
        new(JobLookup.None, completions.Length, [.. completions.Select(c => (DateTimeOffset?)c)]);

    private static JobLookup? Lookup(string? kind) => kind switch
    {
        "none" => JobLookup.None,
        "active" => JobLookup.Active(1),
        "failed" => JobLookup.Failure("jobs lookup failed: Throttled"),
        _ => null,
    };
}
