using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Tests.Workflows.Sweeps;

public class SweepProgressTests
{
    private static readonly SweepProgressView Scan = new()
    {
        Sweep = "orphaned_instances",
        Phase = SweepPhases.Scanning,
        DryRun = false,
        Runs = 2,
        PagesDone = 12,
        Examined = 11_400,
        ActedOn = 0,
        ActTarget = null,
        SkippedByReason = SweepProgress.Reasons(("young", 11_000), ("active_job", 397), ("protected", 0)),
        Errors = 0,
    };

    [Fact]
    public void Planning_is_the_first_run_with_nothing_counted()
    {
        var view = SweepProgress.Planning(SweepKind.StaleSsm, dryRun: true);

        Assert.Equal(("stale_ssm", SweepPhases.Planning, true, 1), (view.Sweep, view.Phase, view.DryRun, view.Runs));
        Assert.Equal((0, 0L, 0L, (long?)null, 0L), (view.PagesDone, view.Examined, view.ActedOn, view.ActTarget, view.Errors));
        Assert.Empty(view.SkippedByReason);
    }

    [Fact]
    public void Reasons_keep_every_name_in_order_and_add_up_repeats()
    {
        var reasons = SweepProgress.Reasons(("young", 3), ("gone", 0), ("young", 2));

        Assert.Equal(["young=5", "gone=0"], reasons.Select(r => $"{r.Key}={r.Value}"));
    }

    [Fact]
    public void Acting_sets_the_target_and_adds_failures_and_skips_to_the_scan()
    {
        var acting = (Scan with { Errors = 1 }).Acting(5, 2, 1, ("active_job", 1), ("gone", 1));

        Assert.Equal((SweepPhases.Acting, 5L, 2L, 2L), (acting.Phase, acting.ActTarget, acting.ActedOn, acting.Errors));
        Assert.Equal(["young=11000", "active_job=398", "protected=0", "gone=1"], acting.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
        Assert.Equal((12, 11_400L, 2), (acting.PagesDone, acting.Examined, acting.Runs));
    }

    [Fact]
    public void Details_is_one_line_with_invariant_thousands_and_only_the_reasons_that_occurred()
    {
        Assert.Equal(
            "scanning: 12 pages, 11,400 examined, 0 orphans terminated, 11,397 skipped (young 11,000, active_job 397), 0 errors, run 2",
            SweepProgress.Details(Scan));
    }

    [Fact]
    public void Details_shows_the_target_and_says_dry_run()
    {
        var view = Scan.Acting(1_500, 20, 0) with { Sweep = "old_jobs", Runs = 1, DryRun = true, SkippedByReason = SweepProgress.Reasons() };

        Assert.Equal(
            "acting: 12 pages, 11,400 examined, 20/1,500 old jobs would be archived, 0 skipped, 0 errors (dry run)",
            SweepProgress.Details(view));
        Assert.DoesNotContain('\n', SweepProgress.Details(view));
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances, "orphans terminated")]
    [InlineData(SweepKind.StaleSsm, "stale parameters deleted")]
    [InlineData(SweepKind.JobArchive, "old jobs archived")]
    [InlineData(SweepKind.PoolAudit, "pools reported")]
    [InlineData(SweepKind.OrphanedJobs, "orphaned jobs marked")]
    public void Details_names_what_each_sweep_acts_on(SweepKind kind, string words)
    {
        var view = SweepProgress.Planning(kind, dryRun: false);

        Assert.Equal($"planning: 0 pages, 0 examined, 0 {words}, 0 skipped, 0 errors", SweepProgress.Details(view));
    }
}
