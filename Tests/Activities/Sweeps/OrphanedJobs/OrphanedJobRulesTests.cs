using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;

namespace RunsFleet.Tests.Activities.Sweeps.OrphanedJobs;

/// <summary>The boundaries of the orphaned-job decisions (no I/O).</summary>
public sealed class OrphanedJobRulesTests
{
    private const string Cutoff = "2026-11-28T05:30:00Z";
    private const string Live = "i-0123456789abcdef0";
    private const string Stopped = "i-0123456789abcdef1";
    private const string Unknown = "i-00000000000000001";

    // now 12:00; threshold 2 h (10:00); max runtime + slack 6 h 30 (05:30).
    private static readonly OrphanedJobCutoffs Cutoffs = new("2026-11-28T10:00:00Z", Cutoff);
    private static readonly Dictionary<string, string> States = new() { [Live] = "running", [Stopped] = "stopped" };

    [Theory]
    [InlineData(0, 10, false, SweepAction.Nothing)]
    [InlineData(0, 10, true, SweepAction.Nothing)]
    [InlineData(10, 10, false, SweepAction.Act)]       // exactly the cap: marked
    [InlineData(11, 10, false, SweepAction.CapReached)] // one more: none marked
    [InlineData(11, 10, true, SweepAction.CapReached)] // the cap before the dry run: it shows what a real run would do
    [InlineData(10, 10, true, SweepAction.DryRun)]
    public void Act_marks_all_up_to_the_cap_and_none_above_it(long count, int cap, bool dryRun, SweepAction expected) =>
        Assert.Equal(expected, OrphanedJobRules.Act(count, cap, dryRun, instancesChecked: 5, instancesKnown: 1));

    [Theory]
    [InlineData(3, 10, false, 3, 0, SweepAction.InstancesUnknown)] // under the cap: still none
    [InlineData(30, 10, false, 30, 0, SweepAction.InstancesUnknown)]
    [InlineData(3, 10, true, 3, 0, SweepAction.InstancesUnknown)]  // a dry run says what a real run would do
    [InlineData(3, 10, false, 3, 1, SweepAction.Act)]             // one known instance is enough evidence
    [InlineData(3, 10, false, 0, 0, SweepAction.Act)]             // nothing looked up (no instance ids): the rule has nothing to say
    [InlineData(0, 10, false, 3, 0, SweepAction.Nothing)]
    public void Every_looked_up_instance_unknown_marks_nothing(long count, int cap, bool dryRun, long looked, long known, SweepAction expected)
    {
        Assert.Equal(expected, OrphanedJobRules.Act(count, cap, dryRun, looked, known));
    }

    [Theory]
    [InlineData("2026-11-28T05:29:59Z", true)]
    [InlineData("2026-11-28T05:30:00Z", false)] // exactly max runtime + slack old: not yet
    [InlineData("2026-11-28T05:30:01Z", false)]
    [InlineData("2026-11-28T07:29:59+02:00", true)] // runs-fleet on a non-UTC host writes an offset
    [InlineData("yesterday", false)]           // unreadable: never orphaned by age
    public void A_job_is_over_age_only_strictly_before_the_cutoff(string createdAt, bool overAge)
    {
        Assert.Equal(overAge, OrphanedJobRules.IsOverAge(createdAt, Cutoff));
    }

    [Fact]
    public void After_the_threshold_a_gone_instance_wins_over_age_and_a_malformed_id_is_judged_by_age_only()
    {
        Assert.Equal(OrphanedJobVerdict.InstanceGone, Judge("running", Unknown, "2026-11-28T01:00:00Z").Verdict);
        Assert.Equal(OrphanedJobVerdict.Active, Judge("running", Stopped, "2026-11-28T09:00:00Z").Verdict); // stopped is not gone
        Assert.Equal(OrphanedJobVerdict.OverAge, Judge("running", Live, "2026-11-28T01:00:00Z").Verdict);
        Assert.Equal(OrphanedJobVerdict.Active, Judge("running", "not-an-id", "2026-11-28T09:00:00Z").Verdict);
        Assert.Equal(OrphanedJobVerdict.OverAge, Judge("running", "not-an-id", "2026-11-28T01:00:00Z").Verdict);
        Assert.Equal(
            $"instance {Unknown} not found by EC2 (created 2026-11-28T09:59:59Z)",
            Judge("launched", Unknown, "2026-11-28T09:59:59Z").Reason);
        Assert.Equal("2026-11-28T05:30:00Z", OrphanedJobRules.RuntimeCutoff(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), 360, 30));
        Assert.Equal("2026-11-28T10:00:00Z", OrphanedJobRules.ThresholdCutoff(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), 120));
    }

    [Theory]
    [InlineData("2026-11-28T10:00:01Z", OrphanedJobVerdict.Young)]
    [InlineData("2026-11-28T10:00:00Z", OrphanedJobVerdict.Young)]        // exactly 2 h: runs-fleet's `< cutoff` too
    [InlineData("2026-11-28T09:59:59Z", OrphanedJobVerdict.InstanceGone)]
    public void A_gone_instance_orphans_its_job_only_past_runs_fleet_s_two_hours(string createdAt, OrphanedJobVerdict expected)
    {
        Assert.Equal(expected, Judge("running", Unknown, createdAt).Verdict);
    }

    [Fact]
    public void A_requeued_job_is_aged_by_requeued_at_not_created_at()
    {
        // created 9 h ago, requeued a minute ago: a live re-dispatch waiting to be claimed.
        var fresh = new OrphanedJobView(1, "requeued", Unknown, "2026-11-28T03:00:00Z", "2026-11-28T11:59:00Z");
        var stale = fresh with { RequeuedAt = "2026-11-28T09:30:00Z" };
        var veryStale = fresh with { InstanceId = Live, RequeuedAt = "2026-11-28T05:00:00Z" };

        Assert.Equal(OrphanedJobVerdict.Young, OrphanedJobRules.Judge(fresh, Cutoffs, States).Verdict);
        Assert.Equal(
            (OrphanedJobVerdict.InstanceGone, $"instance {Unknown} not found by EC2 (requeued 2026-11-28T09:30:00Z)"),
            OrphanedJobRules.Judge(stale, Cutoffs, States));
        Assert.Equal(
            (OrphanedJobVerdict.OverAge, "requeued 2026-11-28T05:00:00Z, before 2026-11-28T05:30:00Z (max runtime + slack)"),
            OrphanedJobRules.Judge(veryStale, Cutoffs, States));
    }

    [Fact]
    public void A_requeued_job_without_requeued_at_or_any_job_without_an_id_is_left_alone()
    {
        Assert.Equal(
            (OrphanedJobVerdict.Unreadable, "no readable requeued_at"),
            OrphanedJobRules.Judge(new OrphanedJobView(1, "requeued", Unknown, "2026-11-28T01:00:00Z", null), Cutoffs, States));
        Assert.Equal(
            OrphanedJobVerdict.Unreadable,
            OrphanedJobRules.Judge(new OrphanedJobView(1, "requeued", Unknown, "2026-11-28T01:00:00Z", "soon"), Cutoffs, States).Verdict);
        Assert.Equal( // created after the cutoff: young, its requeued_at not even read
            (OrphanedJobVerdict.Young, (string?)null),
            OrphanedJobRules.Judge(new OrphanedJobView(1, "requeued", Unknown, "2026-11-28T11:00:00Z", null), Cutoffs, States));
        Assert.Equal(
            (OrphanedJobVerdict.Unreadable, "no readable job_id"),
            OrphanedJobRules.Judge(new OrphanedJobView(null, "running", Unknown, "2026-11-28T01:00:00Z", null), Cutoffs, States));
        Assert.Equal(
            (OrphanedJobVerdict.Unreadable, "no readable created_at"),
            OrphanedJobRules.Judge(new OrphanedJobView(1, "running", Unknown, null, null), Cutoffs, States));
    }

    [Theory]
    [InlineData("requeued", "2026-11-28T09:59:59Z", true)]
    [InlineData("requeued", "2026-11-28T10:00:00Z", false)] // created at the cutoff: requeued later still, young
    [InlineData("requeued", null, false)]
    [InlineData("running", "2026-11-28T01:00:00Z", false)]  // only requeued records need it
    public void Requeued_at_is_read_only_for_requeued_jobs_created_before_the_threshold(string status, string? createdAt, bool needed)
    {
        Assert.Equal(needed, OrphanedJobRules.NeedsRequeuedAt(status, createdAt, Cutoffs.Threshold));
    }

    [Theory]
    [InlineData("launched,claiming,running,requeued", null)]
    [InlineData("running", null)]
    [InlineData("running,terminating", "must list only statuses a job may be orphaned from (launched,claiming,running,requeued) (terminating is never orphaned: runs-fleet requeues the job of an interrupted instance from it)")]
    [InlineData("running,completed", "must list only statuses a job may be orphaned from (launched,claiming,running,requeued)")]
    [InlineData("orphaned", "must list only statuses a job may be orphaned from (launched,claiming,running,requeued)")]
    [InlineData("assigned", "must list only statuses a job may be orphaned from (launched,claiming,running,requeued)")]
    public void Only_runs_fleet_s_orphanable_statuses_may_be_swept(string statuses, string? problem)
    {
        Assert.Equal(problem, OrphanedJobRules.StatusesProblem(statuses.Split(',')));
        Assert.Equal(["launched", "claiming", "running", "requeued"], OrphanedJobRules.OrphanableStatuses);
        Assert.Equal("launched,claiming,running,requeued", new OrphanedJobSweepOptions().Statuses);
    }

    private static (OrphanedJobVerdict Verdict, string? Reason) Judge(string status, string instanceId, string createdAt) =>
        OrphanedJobRules.Judge(new OrphanedJobView(1, status, instanceId, createdAt, null), Cutoffs, States);
}
