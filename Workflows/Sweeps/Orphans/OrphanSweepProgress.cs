using RunsFleet.Activities.Sweeps.Orphans;

namespace RunsFleet.Workflows.Sweeps.Orphans;

/// <summary>
/// The orphan scan so far, carried across continue-as-new. Bounded: at most cap + 1
/// orphan ids and MaxListedInstances kept instances; everything else is a count.
/// </summary>
public sealed record OrphanSweepProgress(
    OrphanSweepPlan Plan,
    string? NextToken,
    int Runs,
    int Pages,
    long Scanned,
    long Young,
    long OrphanCount,
    IReadOnlyList<OrphanCandidate> Orphans,
    IReadOnlyList<OrphanInstanceReport> Kept,
    OrphanKeptCounts KeptCounts)
{
    /// <summary>A scan that has read no page yet.</summary>
    public static OrphanSweepProgress Start(OrphanSweepPlan plan) =>
        new(plan, null, 1, 0, 0, 0, 0, [], [], OrphanKeptCounts.Zero);

    /// <summary>True once the last listing page has been read.</summary>
    public bool ScanDone => this.Pages > 0 && this.NextToken is null;

    /// <summary>Orphan ids still worth collecting: one beyond the cap proves the cap is exceeded.</summary>
    public int OrphanIdSlots => Math.Max(0, this.Plan.MaxTerminations + 1 - this.Orphans.Count);

    /// <summary>Kept instances that may still be listed by id.</summary>
    public int ListSlots => Math.Max(0, this.Plan.MaxListedInstances - this.Kept.Count);

    /// <summary>Adds one scanned page.</summary>
    public OrphanSweepProgress Add(OrphanScanPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return this with
        {
            NextToken = page.NextToken,
            Pages = this.Pages + 1,
            Scanned = this.Scanned + page.Scanned,
            Young = this.Young + page.Young,
            OrphanCount = this.OrphanCount + page.OrphanCount,
            Orphans = [.. this.Orphans, .. page.Orphans.Take(this.OrphanIdSlots)],
            Kept = [.. this.Kept, .. page.Kept.Take(this.ListSlots)],
            KeptCounts = this.KeptCounts.Add(page.KeptCounts),
        };
    }
}
