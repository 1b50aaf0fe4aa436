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
    /// <summary>
    /// The listing being read: the managed one, then the runner profile's when phase b is on, then
    /// the Packer builders' when phase f is on.
    /// </summary>
    public OrphanListing Listing { get; init; }

    /// <summary>
    /// True when this sweep reads the Packer builders' listing (phase f): set once, at the start of a
    /// sweep whose plan has phase f and whose run took the patched branch; false in continuations
    /// written before phase f existed.
    /// </summary>
    public bool ListsPackerBuilders { get; init; }

    /// <summary>True once the last page of <see cref="Listing"/> has been read.</summary>
    public bool ListingDone { get; init; }

    /// <summary>Orphans found per phase (sums to <see cref="OrphanCount"/>).</summary>
    public OrphanPhaseCounts PhaseCounts { get; init; } = OrphanPhaseCounts.Zero;

    /// <summary>A scan that has read no page yet.</summary>
    public static OrphanSweepProgress Start(OrphanSweepPlan plan) =>
        new(plan, null, 1, 0, 0, 0, 0, [], [], OrphanKeptCounts.Zero);

    /// <summary>
    /// True once the last page of the last listing has been read. (A continuation written
    /// before the listings existed has ListingDone false and a token, so it reads on.)
    /// </summary>
    public bool ScanDone => ListingDone && After(Listing) is null;

    private bool ListsRunnerProfile => Plan.Phases?.ListsRunnerProfile == true;

    // The listing read after <listing>, or null when it is the last: managed, runner profile, builders.
    private OrphanListing? After(OrphanListing listing) => listing switch
    {
        OrphanListing.Managed when ListsRunnerProfile => OrphanListing.RunnerProfile,
        OrphanListing.Managed or OrphanListing.RunnerProfile when ListsPackerBuilders => OrphanListing.PackerBuilders,
        _ => null,
    };

    /// <summary>Orphan ids still worth collecting: one beyond the cap proves the cap is exceeded.</summary>
    public int OrphanIdSlots => Math.Max(0, Plan.MaxTerminations + 1 - Orphans.Count);

    /// <summary>Kept instances that may still be listed by id.</summary>
    public int ListSlots => Math.Max(0, Plan.MaxListedInstances - Kept.Count);

    /// <summary>Adds one scanned page.</summary>
    public OrphanSweepProgress Add(OrphanScanPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var listingDone = page.NextToken is null;

        // A listing is done and another follows: that one starts from its first page (the token is null).
        var nextListing = listingDone ? After(Listing) : null;
        return this with
        {
            Listing = nextListing ?? Listing,
            ListingDone = listingDone && nextListing is null,
            PhaseCounts = PhaseCounts.Add(page.PhaseCounts),
            NextToken = page.NextToken,
            Pages = Pages + 1,
            Scanned = Scanned + page.Scanned,
            Young = Young + page.Young,
            OrphanCount = OrphanCount + page.OrphanCount,
            Orphans = [.. Orphans, .. page.Orphans.Take(OrphanIdSlots)],
            Kept = [.. Kept, .. page.Kept.Take(ListSlots)],
            KeptCounts = KeptCounts.Add(page.KeptCounts),
        };
    }

    /// <summary>The scan so far as the sweep's progress view (phase scanning). Every skip reason is named, zeros included.</summary>
    public SweepProgressView ToView(bool dryRun) => new(
        SweepNames.TaskType(SweepKind.Orphans),
        SweepPhases.Scanning,
        dryRun,
        Runs,
        Pages,
        Scanned,
        0,
        null,
        SweepProgress.Reasons(
            ("young", Young),
            (Reason(OrphanDecision.ActiveJob), KeptCounts.ActiveJob),
            (Reason(OrphanDecision.Protected), KeptCounts.Protected),
            (Reason(OrphanDecision.LookupFailed), KeptCounts.LookupFailed),
            (Reason(OrphanDecision.MissingLaunchTime), KeptCounts.MissingLaunchTime),
            (Reason(OrphanDecision.NoRunnerEvidence), KeptCounts.NoRunnerEvidence),
            (Reason(OrphanDecision.Claimed), 0),
            (Reason(OrphanDecision.TerminationProtected), 0),
            (Reason(OrphanDecision.Gone), 0),
            (Reason(OrphanDecision.CapReached), 0)),
        0);

    /// <summary>
    /// The acting phase's view once the scan is done: what <paramref name="action"/> sets out to do
    /// with the orphans found and what the termination <paramref name="outcomes"/> so far say
    /// (terminated, failed, or kept at the re-check).
    /// </summary>
    public SweepProgressView ToView(bool dryRun, OrphanAction action, IReadOnlyCollection<OrphanInstanceReport> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        long Count(OrphanDecision decision) => outcomes.Count(o => o.Decision == decision);
        var mode = action switch
        {
            OrphanAction.Terminate => SweepActMode.Act,
            OrphanAction.DryRun => SweepActMode.DryRun,
            _ => SweepActMode.CapReached,
        };
        return ToView(dryRun).CappedActing(
            mode,
            OrphanCount,
            Orphans.Count,
            Count(OrphanDecision.Terminated),
            Count(OrphanDecision.TerminateFailed),
            [.. outcomes
                .Where(o => o.Decision is not (OrphanDecision.Terminated or OrphanDecision.TerminateFailed))
                .Select(o => (Reason(o.Decision), 1L))]);
    }

    // The skip reasons of the view: the decisions' names as the CLI shows them.
    private static string Reason(OrphanDecision decision) => decision switch
    {
        OrphanDecision.ActiveJob => "active_job",
        OrphanDecision.Protected => "protected",
        OrphanDecision.LookupFailed => "lookup_failed",
        OrphanDecision.MissingLaunchTime => "no_launch_time",
        OrphanDecision.Gone => "gone",
        OrphanDecision.NoRunnerEvidence => "no_runner_evidence",
        OrphanDecision.Claimed => "claimed",
        OrphanDecision.TerminationProtected => "termination_protected",
        OrphanDecision.CapReached => SweepProgress.CapReached,
        _ => decision.ToString(),
    };
}
