using RunsFleet.Activities.Sweeps.OrphanedJobs;

namespace RunsFleet.Tests.Sweeps.OrphanedJobs;

/// <summary>The boundaries of the orphaned-job decisions (no I/O).</summary>
public sealed class OrphanedJobRulesTests
{
    private const string Cutoff = "2026-11-28T05:30:00Z";

    [Theory]
    [InlineData(0, 10, false, OrphanedJobAction.Nothing)]
    [InlineData(0, 10, true, OrphanedJobAction.Nothing)]
    [InlineData(10, 10, false, OrphanedJobAction.Mark)]       // exactly the cap: marked
    [InlineData(11, 10, false, OrphanedJobAction.CapReached)] // one more: none marked
    [InlineData(11, 10, true, OrphanedJobAction.DryRun)]
    public void Act_marks_all_up_to_the_cap_and_none_above_it(long count, int cap, bool dryRun, OrphanedJobAction expected)
    {
        Assert.Equal(expected, OrphanedJobRules.Act(count, cap, dryRun));
    }

    [Theory]
    [InlineData("2026-11-28T05:29:59Z", true)]
    [InlineData("2026-11-28T05:30:00Z", false)] // exactly max runtime + slack old: not yet
    [InlineData("2026-11-28T05:30:01Z", false)]
    [InlineData("yesterday", false)]           // unreadable: never orphaned by age
    public void A_job_is_over_age_only_strictly_before_the_cutoff(string createdAt, bool overAge)
    {
        Assert.Equal(overAge, OrphanedJobRules.IsOverAge(createdAt, Cutoff));
    }

    [Fact]
    public void A_gone_instance_wins_over_age_and_a_malformed_instance_id_is_judged_by_age_only()
    {
        var states = new Dictionary<string, string> { ["i-0123456789abcdef0"] = "running", ["i-0123456789abcdef1"] = "stopped" };

        Assert.Equal(OrphanCause.InstanceGone, OrphanedJobRules.Judge("i-00000000000000001", "2026-11-28T01:00:00Z", Cutoff, states)?.Cause);
        Assert.Null(OrphanedJobRules.Judge("i-0123456789abcdef1", "2026-11-28T10:00:00Z", Cutoff, states)); // stopped is not gone
        Assert.Equal(OrphanCause.OverAge, OrphanedJobRules.Judge("i-0123456789abcdef0", "2026-11-28T01:00:00Z", Cutoff, states)?.Cause);
        Assert.Null(OrphanedJobRules.Judge("not-an-id", "2026-11-28T10:00:00Z", Cutoff, states));
        Assert.Equal(OrphanCause.OverAge, OrphanedJobRules.Judge("not-an-id", "2026-11-28T01:00:00Z", Cutoff, states)?.Cause);
        Assert.Equal("2026-11-28T05:30:00Z", OrphanedJobRules.RuntimeCutoff(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), 360, 30));
    }
}
