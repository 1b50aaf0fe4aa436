using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps.OrphanedJobs;

/// <summary>The scan so far, carried across continue-as-new. Bounded: at most cap + 1 orphaned jobs
/// by id (one beyond the cap proves it is exceeded); everything else is a count. A new continuation is a
/// scan that has read no page yet; every value but the plan starts at its default.</summary>
public sealed record OrphanedJobSweepContinuation
{
    public required OrphanedJobSweepPlan Plan { get; init; }

    /// <summary>Index into the plan's statuses of the partition being read.</summary>
    public int StatusIndex { get; init; }

    /// <summary>Where that partition's query resumes; null to start it.</summary>
    public ActiveJobCursor? Cursor { get; init; }

    /// <summary>Workflow runs so far (1 + continue-as-new count).</summary>
    public int Runs { get; init; } = 1;

    public int Pages { get; init; }
    public long JobsRead { get; init; }
    public long InstancesChecked { get; init; }
    public long InstanceGone { get; init; }
    public long OverAge { get; init; }
    public long KeptActive { get; init; }
    public long KeptUnreadable { get; init; }
    public IReadOnlyList<OrphanedJobCandidate> Candidates { get; init; } = [];

    // The skip reasons of the view, as the CLI shows them.
    private const string KeptActiveReason = "active";
    private const string KeptYoungReason = "young";
    private const string KeptUnreadableReason = "unreadable";
    private const string LeftAloneReason = "changed_meanwhile";

    /// <summary>Of <see cref="InstancesChecked"/>, those EC2 returned in any state (0 in pages read before this
    /// count).</summary>
    public long InstancesKnown { get; init; }

    /// <summary>Jobs younger than the threshold, left alone.</summary>
    public long KeptYoung { get; init; }

    /// <summary>A scan that has read no page yet.</summary>
    public static OrphanedJobSweepContinuation Start(OrphanedJobSweepPlan plan) => new() { Plan = plan };

    /// <summary>True once the last page of the last status has been read.</summary>
    public bool ScanDone => StatusIndex >= Plan.Statuses.Count;

    /// <summary>The status partition being read.</summary>
    public string Status => Plan.Statuses[StatusIndex];

    /// <summary>Orphaned jobs found (every one, not only those listed).</summary>
    public long OrphanCount => InstanceGone + OverAge;

    /// <summary>Orphaned jobs still worth collecting by id.</summary>
    public int CandidateSlots => Math.Max(0, Plan.MaxJobs + 1 - Candidates.Count);

    /// <summary>Adds one page; moves to the next status when the page was its partition's last.</summary>
    public OrphanedJobSweepContinuation Add(OrphanedJobScanPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return this with
        {
            StatusIndex = page.NextCursor is null ? StatusIndex + 1 : StatusIndex, Cursor = page.NextCursor,
            Pages = Pages + 1, JobsRead = JobsRead + page.Read,
            InstancesChecked = InstancesChecked + page.InstancesChecked,
            InstancesKnown = InstancesKnown + page.InstancesKnown, KeptYoung = KeptYoung + page.KeptYoung,
            InstanceGone = InstanceGone + page.InstanceGone, OverAge = OverAge + page.OverAge,
            KeptActive = KeptActive + page.KeptActive, KeptUnreadable = KeptUnreadable + page.KeptUnreadable,
            Candidates = [.. Candidates, .. page.Candidates.Take(CandidateSlots)],
        };
    }

    /// <summary>The scan so far as the sweep's progress view (phase scanning). Every skip reason is named, zeros
    /// included.</summary>
    public SweepProgressView ToView(bool dryRun) => new()
    {
        Sweep = SweepNames.TaskType(SweepKind.OrphanedJobs), Phase = SweepPhases.Scanning, DryRun = dryRun,
        Runs = Runs, PagesDone = Pages, Examined = JobsRead, ActedOn = 0, ActTarget = null,
        SkippedByReason = SweepProgress.Reasons(
            (KeptActiveReason, KeptActive),
            (KeptYoungReason, KeptYoung),
            (KeptUnreadableReason, KeptUnreadable),
            (LeftAloneReason, 0),
            (SweepProgress.CapReached, 0),
            (SweepProgress.InstancesUnknown, 0)),
        Errors = 0,
    };

    /// <summary>The acting phase's view once the scan is done: what <paramref name="action"/> sets out to do
    /// with the orphaned jobs found and what the marking <paramref name="outcomes"/> so far say.</summary>
    public SweepProgressView ToView(bool dryRun, SweepAction action, IReadOnlyCollection<OrphanedJobReport> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        long Count(OrphanedJobDecision decision) => outcomes.Count(o => o.Decision == decision);
        return ToView(dryRun).CappedActing(
            action,
            OrphanCount,
            Candidates.Count,
            Count(OrphanedJobDecision.Marked),
            Count(OrphanedJobDecision.MarkFailed),
            (LeftAloneReason, Count(OrphanedJobDecision.LeftAlone)));
    }
}
