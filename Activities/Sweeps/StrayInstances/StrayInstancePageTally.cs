using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Counts one scan page's verdicts and keeps the bounded lists: at most the orphan-id limit
/// of orphans and the list limit of kept instances by id; everything else is a count.</summary>
internal sealed class StrayInstancePageTally
{
    private readonly int _orphanIdLimit;
    private readonly int _listLimit;
    private readonly List<StrayInstanceCandidate> _orphans = [];
    private readonly List<StrayInstanceReport> _kept = [];

    public StrayInstancePageTally(int orphanIdLimit, int listLimit)
    {
        _orphanIdLimit = orphanIdLimit;
        _listLimit = listLimit;
    }

    public int Young { get; private set; }

    public int OrphanCount { get; private set; }

    public StrayInstanceKeptCounts KeptCounts { get; private set; } = StrayInstanceKeptCounts.Zero;

    public StrayInstancePhaseCounts PhaseCounts { get; private set; } = StrayInstancePhaseCounts.Zero;

    /// <summary>Adds one instance's verdict; <paramref name="phase"/> is set for orphans.</summary>
    public void Add(FleetInstance instance, StrayInstancePhase? phase, StrayInstanceAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(assessment);
        switch (assessment.Verdict)
        {
            case StrayInstanceVerdict.Young or StrayInstanceVerdict.NotCandidate:
                Young++;
                break;
            case StrayInstanceVerdict.Orphan:
                var found = phase ?? StrayInstancePhase.MaxRuntime;
                OrphanCount++;
                PhaseCounts = PhaseCounts.Count(found);
                if (_orphans.Count < _orphanIdLimit)
                {
                    _orphans.Add(new StrayInstanceCandidate(instance.InstanceId, instance.LaunchTime,
                        assessment.Reason) { Phase = found });
                }

                break;
            default:
                KeptCounts = KeptCounts.Count(assessment.Verdict);
                if (_kept.Count < _listLimit)
                {
                    _kept.Add(new StrayInstanceReport(
                        instance.InstanceId, instance.LaunchTime,
                            StrayInstanceKeptCounts.DecisionOf(assessment.Verdict), assessment.Reason));
                }

                break;
        }
    }

    /// <summary>The page result.</summary>
    public StrayInstanceScanPage ToPage(string? nextToken, int scanned) =>
        new(nextToken, scanned, Young, OrphanCount, _orphans, _kept, KeptCounts) { PhaseCounts = PhaseCounts };
}
