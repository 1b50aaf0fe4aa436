using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps.StrayInstances;

/// <summary>The orphan scan so far, carried across continue-as-new. Bounded: at most cap + 1
/// orphan ids and MaxListedInstances kept instances; everything else is a count.
/// A new continuation is a scan that has read no page yet; every value but the plan starts at its default.</summary>
public sealed record StrayInstanceSweepContinuation
{
    public required StrayInstanceSweepPlan Plan { get; init; }

    /// <summary>DescribeInstances token of the next page of <see cref="Listing"/>; null for its first.</summary>
    public string? NextToken { get; init; }

    /// <summary>Workflow runs so far (1 + continue-as-new count).</summary>
    public int Runs { get; init; } = 1;

    public int Pages { get; init; }
    public long Scanned { get; init; }
    public long Young { get; init; }
    public long OrphanCount { get; init; }
    public IReadOnlyList<StrayInstanceCandidate> Orphans { get; init; } = [];
    public IReadOnlyList<StrayInstanceReport> Kept { get; init; } = [];
    public StrayInstanceKeptCounts KeptCounts { get; init; } = StrayInstanceKeptCounts.Zero;

    /// <summary>The listing being read: the managed one, then the runner profile's when phase b is on, then
    /// the Packer builders' when phase f is on.</summary>
    public StrayInstanceListing Listing { get; init; }

    /// <summary>True when this sweep reads the Packer builders' listing (phase f): set once, at the start of a
    /// sweep whose plan has phase f and whose run took the patched branch; false in continuations
    /// written before phase f existed.</summary>
    public bool ListsPackerBuilders { get; init; }

    /// <summary>True once the last page of <see cref="Listing"/> has been read.</summary>
    public bool ListingDone { get; init; }

    /// <summary>Orphans found per phase (sums to <see cref="OrphanCount"/>).</summary>
    public StrayInstancePhaseCounts PhaseCounts { get; init; } = StrayInstancePhaseCounts.Zero;

    /// <summary>A scan that has read no page yet.</summary>
    public static StrayInstanceSweepContinuation Start(StrayInstanceSweepPlan plan) => new() { Plan = plan };

    /// <summary>True once the last page of the last listing has been read. (A continuation written
    /// before the listings existed has ListingDone false and a token, so it reads on.)</summary>
    public bool ScanDone => ListingDone && After(Listing) is null;

    private bool ListsRunnerProfile => Plan.Phases?.ListsRunnerProfile == true;

    // The listing read after <listing>, or null when it is the last: managed, runner profile, builders.
    private StrayInstanceListing? After(StrayInstanceListing listing) => listing switch
    {
        StrayInstanceListing.Managed when ListsRunnerProfile => StrayInstanceListing.RunnerProfile,
        StrayInstanceListing.Managed or StrayInstanceListing.RunnerProfile when ListsPackerBuilders =>
            StrayInstanceListing.PackerBuilders,
        _ => null,
    };

    /// <summary>Orphan ids still worth collecting: one beyond the cap proves the cap is exceeded.</summary>
    public int OrphanIdSlots => Math.Max(0, Plan.MaxTerminations + 1 - Orphans.Count);

    /// <summary>Kept instances that may still be listed by id.</summary>
    public int ListSlots => Math.Max(0, Plan.MaxListedInstances - Kept.Count);

    /// <summary>Adds one scanned page.</summary>
    public StrayInstanceSweepContinuation Add(StrayInstanceScanPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var listingDone = page.NextToken is null;

        // A listing is done and another follows: that one starts from its first page (the token is null).
        var nextListing = listingDone ? After(Listing) : null;
        return this with
        {
            Listing = nextListing ?? Listing, ListingDone = listingDone && nextListing is null,
            PhaseCounts = PhaseCounts.Add(page.PhaseCounts), NextToken = page.NextToken, Pages = Pages + 1,
            Scanned = Scanned + page.Scanned, Young = Young + page.Young,
            OrphanCount = OrphanCount + page.OrphanCount,
            Orphans = [.. Orphans, .. page.Orphans.Take(OrphanIdSlots)],
            Kept = [.. Kept, .. page.Kept.Take(ListSlots)],
            KeptCounts = KeptCounts.Add(page.KeptCounts),
        };
    }

    /// <summary>The scan so far as the sweep's progress view (phase scanning). Every skip reason is named, zeros
    /// included.</summary>
    public SweepProgressView ToView(bool dryRun) => new()
    {
        Sweep = SweepNames.TaskType(SweepKind.StrayInstances), Phase = SweepPhases.Scanning, DryRun = dryRun,
        Runs = Runs, PagesDone = Pages, Examined = Scanned, ActedOn = 0, ActTarget = null,
        SkippedByReason = SweepProgress.Reasons(
            ("young", Young),
            (Reason(StrayInstanceDecision.ActiveJob), KeptCounts.ActiveJob),
            (Reason(StrayInstanceDecision.Protected), KeptCounts.Protected),
            (Reason(StrayInstanceDecision.LookupFailed), KeptCounts.LookupFailed),
            (Reason(StrayInstanceDecision.MissingLaunchTime), KeptCounts.MissingLaunchTime),
            (Reason(StrayInstanceDecision.NoRunnerEvidence), KeptCounts.NoRunnerEvidence),
            (Reason(StrayInstanceDecision.Claimed), 0),
            (Reason(StrayInstanceDecision.TerminationProtected), 0),
            (Reason(StrayInstanceDecision.Gone), 0),
            (Reason(StrayInstanceDecision.CapReached), 0)),
        Errors = 0,
    };

    /// <summary>The acting phase's view once the scan is done: what <paramref name="action"/> sets out to do
    /// with the orphans found and what the termination <paramref name="outcomes"/> so far say
    /// (terminated, failed, or kept at the re-check).</summary>
    public SweepProgressView ToView(bool dryRun, SweepAction action, IReadOnlyCollection<StrayInstanceReport> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        long Count(StrayInstanceDecision decision) => outcomes.Count(o => o.Decision == decision);
        return ToView(dryRun).CappedActing(
            action,
            OrphanCount,
            Orphans.Count,
            Count(StrayInstanceDecision.Terminated),
            Count(StrayInstanceDecision.TerminateFailed),
            [.. outcomes
                .Where(o => o.Decision
                    is not (StrayInstanceDecision.Terminated or StrayInstanceDecision.TerminateFailed))
                .Select(o => (Reason(o.Decision), 1L))]);
    }

    // The skip reasons of the view: the decisions' names as the CLI shows them.
    private static string Reason(StrayInstanceDecision decision) => decision switch
    {
        StrayInstanceDecision.ActiveJob => "active_job",
        StrayInstanceDecision.Protected => "protected",
        StrayInstanceDecision.LookupFailed => "lookup_failed",
        StrayInstanceDecision.MissingLaunchTime => "no_launch_time",
        StrayInstanceDecision.Gone => "gone",
        StrayInstanceDecision.NoRunnerEvidence => "no_runner_evidence",
        StrayInstanceDecision.Claimed => "claimed",
        StrayInstanceDecision.TerminationProtected => "termination_protected",
        StrayInstanceDecision.CapReached => SweepProgress.CapReached,
        _ => decision.ToString(),
    };
}
