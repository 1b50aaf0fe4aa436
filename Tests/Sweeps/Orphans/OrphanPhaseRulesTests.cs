using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.Orphans;

namespace RunsFleet.Tests.Sweeps.Orphans;

public class OrphanPhaseRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-30);
    private static readonly JobHistory NoRecords = new(JobLookup.None, 0, []);
    private static readonly RunnerEvidence Tagged = new(RunnerEvidenceState.Found, "tagged runs-fleet:run-id");

    [Theory]
    [InlineData("untagged, old, no job", false, "running", -1, "none", OrphanVerdict.Orphan)]
    [InlineData("untagged and stopped", false, "stopped", -60, "none", OrphanVerdict.Orphan)]
    [InlineData("exactly at the cutoff", false, "running", 0, "none", OrphanVerdict.Young)]
    [InlineData("tagged managed", true, "running", -60, "none", OrphanVerdict.NotCandidate)]
    [InlineData("active job", false, "running", -60, "active", OrphanVerdict.ActiveJob)]
    [InlineData("failed lookup", false, "running", -60, "failed", OrphanVerdict.LookupFailed)]
    [InlineData("no lookup made", false, "running", -60, null, OrphanVerdict.LookupFailed)]
    public void Unmanaged_profile_rule(string name, bool managed, string state, int launchMinutesFromCutoff, string? lookup, OrphanVerdict expected)
    {
        var instance = Instance(state, Cutoff.AddMinutes(launchMinutesFromCutoff)) with { IsManaged = managed };

        var assessment = OrphanPhaseRules.UnmanagedProfile(instance, Cutoff, Lookup(lookup), Tagged);

        Assert.True(expected == assessment.Verdict, $"{name}: {assessment.Verdict} ({assessment.Reason})");
    }

    [Fact]
    public void Unmanaged_profile_keeps_protected_and_undated_instances()
    {
        var untagged = Instance("stopped", Cutoff.AddHours(-1)) with { IsManaged = false };
        Assert.Equal(OrphanVerdict.Protected, OrphanPhaseRules.UnmanagedProfile(untagged with { IsProtected = true }, Cutoff, JobLookup.None, Tagged).Verdict);
        Assert.Equal(OrphanVerdict.MissingLaunchTime, OrphanPhaseRules.UnmanagedProfile(untagged with { LaunchTime = null }, Cutoff, JobLookup.None, Tagged).Verdict);
    }

    [Fact]
    public void Unclaimed_is_an_up_instance_outside_pools_without_any_job_record_past_its_grace()
    {
        var old = Instance("running", Cutoff.AddSeconds(-1));
        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Unclaimed(old, Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Unclaimed(old with { State = "pending" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.Young, OrphanPhaseRules.Unclaimed(Instance("running", Cutoff), Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.Unclaimed(old with { Pool = "warm" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.Unclaimed(old with { State = "stopped" }, Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.Unclaimed(old, Cutoff, History(Now.AddHours(-2))).Verdict);
        Assert.Equal(OrphanVerdict.Protected, OrphanPhaseRules.Unclaimed(old with { IsProtected = true }, Cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.ActiveJob, OrphanPhaseRules.Unclaimed(old, Cutoff, new JobHistory(JobLookup.Active(9), 1, [])).Verdict);
        Assert.Equal(OrphanVerdict.LookupFailed, OrphanPhaseRules.Unclaimed(old, Cutoff, JobHistory.Failed("Throttled")).Verdict);
        Assert.Equal(OrphanVerdict.LookupFailed, OrphanPhaseRules.Unclaimed(old, Cutoff, null).Verdict);
    }

    [Fact]
    public void Completed_needs_every_job_of_this_launch_finished_before_the_cutoff()
    {
        var cutoff = Now.AddMinutes(-15);
        var launched = Now.AddHours(-2);
        var up = Instance("running", launched);

        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Completed(up, cutoff, History(cutoff.AddSeconds(-1))).Verdict);
        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Completed(up, cutoff, History(launched.AddMinutes(5), cutoff.AddMinutes(-1))).Verdict);
        // The last completion decides, and it must be strictly before the cutoff.
        Assert.Equal(OrphanVerdict.Young, OrphanPhaseRules.Completed(up, cutoff, History(launched.AddMinutes(5), cutoff)).Verdict);
        Assert.Equal(OrphanVerdict.Young, OrphanPhaseRules.Completed(up, cutoff, History(Now.AddMinutes(-1))).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.Completed(up with { Pool = "warm" }, cutoff, History(launched.AddMinutes(5))).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.Completed(up, cutoff, NoRecords).Verdict);
        Assert.Equal(OrphanVerdict.ActiveJob, OrphanPhaseRules.Completed(up, cutoff, new JobHistory(JobLookup.Active(3), 2, [launched.AddMinutes(1)])).Verdict);
        Assert.Equal(OrphanVerdict.LookupFailed, OrphanPhaseRules.Completed(up, cutoff, JobHistory.Failed("AccessDenied")).Verdict);
    }

    [Fact]
    public void Completed_ignores_records_of_a_previous_life_and_keeps_undated_ones()
    {
        var cutoff = Now.AddMinutes(-15);
        var restarted = Instance("running", Now.AddMinutes(-40));

        // Its only job finished before this launch: a restarted instance's old record does not count.
        var previousLife = OrphanPhaseRules.Completed(restarted, cutoff, History(Now.AddHours(-3)));
        Assert.Equal(OrphanVerdict.NotCandidate, previousLife.Verdict);
        // Completed exactly at the launch belongs to this life.
        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Completed(restarted, cutoff, History(Now.AddMinutes(-40))).Verdict);
        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.Completed(restarted, cutoff, History(Now.AddHours(-3), Now.AddMinutes(-20))).Verdict);
        Assert.Equal(OrphanVerdict.LookupFailed, OrphanPhaseRules.Completed(restarted, cutoff, new JobHistory(JobLookup.None, 1, [null])).Verdict);
    }

    [Fact]
    public void Abandoned_stopped_is_a_stopped_instance_outside_pools_past_its_grace()
    {
        var cutoff = Now.AddHours(-24);
        var stopped = Instance("stopped", cutoff.AddSeconds(-1));

        Assert.Equal(OrphanVerdict.Orphan, OrphanPhaseRules.AbandonedStopped(stopped, cutoff, JobLookup.None).Verdict);
        Assert.Equal(OrphanVerdict.Young, OrphanPhaseRules.AbandonedStopped(stopped with { LaunchTime = cutoff }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.AbandonedStopped(stopped with { Pool = "warm" }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(OrphanVerdict.NotCandidate, OrphanPhaseRules.AbandonedStopped(stopped with { State = "running" }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(OrphanVerdict.Protected, OrphanPhaseRules.AbandonedStopped(stopped with { IsProtected = true }, cutoff, JobLookup.None).Verdict);
        Assert.Equal(OrphanVerdict.ActiveJob, OrphanPhaseRules.AbandonedStopped(stopped, cutoff, JobLookup.Active(5)).Verdict);
        Assert.Equal(OrphanVerdict.LookupFailed, OrphanPhaseRules.AbandonedStopped(stopped, cutoff, null).Verdict);
    }

    [Fact]
    public void The_profile_filter_takes_an_arn_as_given_and_a_name_at_any_path()
    {
        Assert.Equal(
            ["arn:aws:iam::123456789012:instance-profile/runner"],
            OrphanPhaseRules.ProfileArnFilter(" arn:aws:iam::123456789012:instance-profile/runner "));
        Assert.Equal(
            ["arn:*:iam::*:instance-profile/runner", "arn:*:iam::*:instance-profile/*/runner"],
            OrphanPhaseRules.ProfileArnFilter("runner"));
    }

    [Fact]
    public void The_recheck_names_what_changed_for_the_phase_that_found_the_orphan()
    {
        var running = Instance("running", Now.AddDays(-1));
        Assert.Null(OrphanPhaseRules.ChangedSinceScan(OrphanPhase.Unclaimed, running));
        Assert.Contains("stopped since the scan", OrphanPhaseRules.ChangedSinceScan(OrphanPhase.Completed, running with { State = "stopped" }), StringComparison.Ordinal);
        Assert.Null(OrphanPhaseRules.ChangedSinceScan(OrphanPhase.AbandonedStopped, running with { State = "stopped" }));
        Assert.Contains("no longer stopped", OrphanPhaseRules.ChangedSinceScan(OrphanPhase.AbandonedStopped, running), StringComparison.Ordinal);
        Assert.Null(OrphanPhaseRules.ChangedSinceScan(OrphanPhase.UnmanagedProfile, running with { State = "stopped", IsManaged = false }));
        Assert.Contains("managed", OrphanPhaseRules.ChangedSinceScan(OrphanPhase.UnmanagedProfile, running with { IsManaged = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Cutoffs_follow_the_switches_and_graces()
    {
        var defaults = new OrphanSweepOptions().PhaseCutoffs(Now);
        Assert.Null(defaults.UnmanagedProfile);
        Assert.False(defaults.ListsRunnerProfile);
        Assert.Equal((Now.AddMinutes(-30), Now.AddMinutes(-15)), (defaults.Unclaimed!.Value, defaults.Completed!.Value));
        Assert.Null(defaults.AbandonedStopped);

        var all = new OrphanSweepOptions { RunnerInstanceProfile = "runner", StoppedEnabled = true, StoppedGraceHours = 48, ProfileGraceMinutes = 20 }.PhaseCutoffs(Now);
        Assert.True(all.ListsRunnerProfile);
        Assert.Equal((Now.AddMinutes(-20), Now.AddHours(-48)), (all.UnmanagedProfile!.Value, all.AbandonedStopped!.Value));

        var off = new OrphanSweepOptions { RunnerInstanceProfile = "runner", ProfileEnabled = false, UnclaimedEnabled = false, CompletedEnabled = false, PackerEnabled = false }.PhaseCutoffs(Now);
        Assert.Equal(OrphanPhaseCutoffs.Off, off);
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
