using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.Orphans;

/// <summary>
/// Counts one scan page's verdicts and keeps the bounded lists: at most the orphan-id limit
/// of orphans and the list limit of kept instances by id; everything else is a count.
/// </summary>
internal sealed class OrphanPageTally
{
    private readonly int _orphanIdLimit;
    private readonly int _listLimit;
    private readonly List<OrphanCandidate> _orphans = [];
    private readonly List<OrphanInstanceReport> _kept = [];

    public OrphanPageTally(int orphanIdLimit, int listLimit)
    {
        _orphanIdLimit = orphanIdLimit;
        _listLimit = listLimit;
    }

    public int Young { get; private set; }

    public int OrphanCount { get; private set; }

    public OrphanKeptCounts KeptCounts { get; private set; } = OrphanKeptCounts.Zero;

    public OrphanPhaseCounts PhaseCounts { get; private set; } = OrphanPhaseCounts.Zero;

    /// <summary>Adds one instance's verdict; <paramref name="phase"/> is set for orphans.</summary>
    public void Add(FleetInstance instance, OrphanPhase? phase, OrphanAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(assessment);
        switch (assessment.Verdict)
        {
            case OrphanVerdict.Young or OrphanVerdict.NotCandidate:
                Young++;
                break;
            case OrphanVerdict.Orphan:
                var found = phase ?? OrphanPhase.MaxRuntime;
                OrphanCount++;
                PhaseCounts = PhaseCounts.Count(found);
                if (_orphans.Count < _orphanIdLimit)
                {
                    _orphans.Add(new OrphanCandidate(instance.InstanceId, instance.LaunchTime, assessment.Reason) { Phase = found });
                }

                break;
            default:
                KeptCounts = KeptCounts.Count(assessment.Verdict);
                if (_kept.Count < _listLimit)
                {
                    _kept.Add(new OrphanInstanceReport(
                        instance.InstanceId, instance.LaunchTime, OrphanKeptCounts.DecisionOf(assessment.Verdict), assessment.Reason));
                }

                break;
        }
    }

    /// <summary>The page result.</summary>
    public OrphanScanPage ToPage(string? nextToken, int scanned) =>
        new(nextToken, scanned, Young, OrphanCount, _orphans, _kept, KeptCounts) { PhaseCounts = PhaseCounts };
}
