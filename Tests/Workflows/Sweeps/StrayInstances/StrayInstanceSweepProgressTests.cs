using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Workflows.Sweeps.StrayInstances;

public class StrayInstanceSweepProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Collects_at_most_cap_plus_one_orphan_ids_but_counts_them_all()
    {
        var progress = StrayInstanceSweepContinuation.Start(Plan(cap: 2, listed: 10));
        Assert.False(progress.ScanDone);

        progress = progress.Add(Page("t1", orphans: 2));
        Assert.Equal(1, progress.OrphanIdSlots);
        progress = progress.Add(Page(null, orphans: 5));

        Assert.True(progress.ScanDone);
        Assert.Equal(7, progress.OrphanCount);
        Assert.Equal(3, progress.Orphans.Count);
        Assert.Equal(0, progress.OrphanIdSlots);
        Assert.Equal(2, progress.Pages);
    }

    [Fact]
    public void Lists_kept_instances_up_to_the_limit_and_counts_the_rest()
    {
        var progress = StrayInstanceSweepContinuation.Start(Plan(cap: 50, listed: 3))
            .Add(Page("t1", kept: 2))
            .Add(Page(null, kept: 2));

        Assert.Equal(3, progress.Kept.Count);
        Assert.Equal(4, progress.KeptCounts.ActiveJob);
        Assert.Equal(0, progress.ListSlots);
    }

    private static StrayInstanceSweepPlan Plan(int cap, int listed) =>
        new StrayInstanceSweepPlan
        {
            Now = Now,
            Cutoff = StrayInstancePolicy.Cutoff(Now, 360, 10),
            MaxRuntimeMinutes = 360,
            BufferMinutes = 10,
            MaxTerminations = cap,
            PageSize = 1000,
            TerminateBatchSize = 50,
            PagesPerRun = 10,
            MaxListedInstances = listed,
        };

    private static StrayInstanceScanPage Page(string? next, int orphans = 0, int kept = 0)
    {
        var candidates = Enumerable.Range(0, orphans)
            .Select(i => new StrayInstanceCandidate($"i-{next}-o{i}", Now.AddDays(-1), "orphan"))
            .ToList();
        var keptReports = Enumerable.Range(0, kept)
            .Select(i => new StrayInstanceReport($"i-{next}-k{i}", Now.AddDays(-1), StrayInstanceDecision.ActiveJob, "active job"))
            .ToList();
        return new StrayInstanceScanPage(next, orphans + kept + 1, 1, orphans, candidates, keptReports, new StrayInstanceKeptCounts(ActiveJob: kept));
    }
}
