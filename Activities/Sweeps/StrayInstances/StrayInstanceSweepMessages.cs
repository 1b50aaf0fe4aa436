namespace RunsFleet.Activities.Sweeps.StrayInstances;

// Arguments and results of the orphan-sweep activities. They travel through the workflow
// history, so each is bounded: a page of counts, at most a capped number of ids.

/// <summary>Asks for the settings of one sweep; overrides come from the workflow input.</summary>
/// <param name="Now">The sweep's "now" (Workflow.UtcNow of its first run).</param>
public sealed record StrayInstancePlanRequest(DateTimeOffset Now, int? MaxRuntimeMinutes, int? MaxTerminations,
    int? PagesPerRun);

/// <summary>The settings one sweep runs with, fixed at its start and kept across continue-as-new.</summary>
public sealed record StrayInstanceSweepPlan
{
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset Cutoff { get; init; }
    public required int MaxRuntimeMinutes { get; init; }
    public required int BufferMinutes { get; init; }
    public required int MaxTerminations { get; init; }
    public required int PageSize { get; init; }
    public required int TerminateBatchSize { get; init; }
    public required int PagesPerRun { get; init; }
    public required int MaxListedInstances { get; init; }

    /// <summary>Phases b-e; null in histories written before they existed (phase a only).</summary>
    public StrayInstancePhaseCutoffs? Phases { get; init; }
}

/// <summary>Scan one listing page.</summary>
/// <param name="NextToken">DescribeInstances token; null for the first page.</param>
/// <param name="Cutoff">Candidates launched strictly before this.</param>
/// <param name="PageSize">DescribeInstances MaxResults.</param>
/// <param name="OrphanIdLimit">Return at most this many orphan ids (the rest are only counted).</param>
/// <param name="ListLimit">Return at most this many kept instances by id (the rest are only counted).</param>
public sealed record StrayInstanceScanRequest(string? NextToken, DateTimeOffset Cutoff, int PageSize, int OrphanIdLimit,
    int ListLimit)
{
    /// <summary>The listing this page belongs to.</summary>
    public StrayInstanceListing Listing { get; init; }

    /// <summary>Cutoffs of phases b-e (null: phase a only).</summary>
    public StrayInstancePhaseCutoffs? Phases { get; init; }
}

/// <summary>What one page held.</summary>
/// <param name="NextToken">Token of the next page; null when this was the last.</param>
/// <param name="Scanned">Instances on the page.</param>
/// <param name="Young">Instances no phase takes up: launched at or after every enabled phase's cutoff, idle pool
/// members, not a phase's state.</param>
/// <param name="OrphanCount">Orphans on the page, including those beyond <see cref="Orphans"/>.</param>
/// <param name="Orphans">Up to OrphanIdLimit orphans.</param>
/// <param name="Kept">Up to ListLimit kept candidates with their reason.</param>
/// <param name="KeptCounts">Every kept candidate, per reason.</param>
public sealed record StrayInstanceScanPage(
    string? NextToken,
    int Scanned,
    int Young,
    int OrphanCount,
    IReadOnlyList<StrayInstanceCandidate> Orphans,
    IReadOnlyList<StrayInstanceReport> Kept,
    StrayInstanceKeptCounts KeptCounts)
{
    /// <summary>The page's orphans per phase (sums to <see cref="OrphanCount"/>).</summary>
    public StrayInstancePhaseCounts PhaseCounts { get; init; } = StrayInstancePhaseCounts.Zero;
}

/// <summary>Terminate one batch of orphans (after re-checking their jobs).</summary>
public sealed record StrayInstanceTerminateRequest(IReadOnlyList<StrayInstanceCandidate> Orphans);

/// <summary>The fate of each orphan of the batch.</summary>
public sealed record StrayInstanceTerminateResult(IReadOnlyList<StrayInstanceReport> Outcomes)
{
    public int Terminated => Outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated);
}
