using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.Orphans;

/// <summary>
/// Runs the enabled phases over one listed instance, in order a, b, c, d, e: the first phase
/// that finds it orphaned names it; otherwise the weightiest reason to keep it is reported
/// (a failed lookup before an active job before protected before an unknown age). Pure: the
/// activity reads the active-job set and the job histories this asks for.
/// </summary>
internal static class OrphanScanJudge
{
    /// <summary>The phases that may judge <paramref name="instance"/> on this listing, with their cutoffs.</summary>
    public static IEnumerable<(OrphanPhase Phase, DateTimeOffset Cutoff)> Applicable(FleetInstance instance, OrphanScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(request);
        var phases = request.Phases ?? OrphanPhaseCutoffs.Off;
        if (request.Listing == OrphanListing.RunnerProfile)
        {
            if (phases.UnmanagedProfile is { } profileCutoff && !instance.IsManaged)
            {
                yield return (OrphanPhase.UnmanagedProfile, profileCutoff);
            }

            yield break;
        }

        var up = OrphanPhaseRules.IsUp(instance);
        if (up)
        {
            yield return (OrphanPhase.MaxRuntime, request.Cutoff);
        }

        // Pool members belong to their pool: c, d and e never judge them.
        if (instance.Pool is not null)
        {
            yield break;
        }

        if (up && phases.Unclaimed is { } unclaimedCutoff)
        {
            yield return (OrphanPhase.Unclaimed, unclaimedCutoff);
        }

        if (up && phases.Completed is { } completedCutoff)
        {
            yield return (OrphanPhase.Completed, completedCutoff);
        }

        if (!up && phases.AbandonedStopped is { } stoppedCutoff)
        {
            yield return (OrphanPhase.AbandonedStopped, stoppedCutoff);
        }
    }

    /// <summary>True when some phase's fate for the instance depends on the active-job set.</summary>
    public static bool NeedsActiveJobs(FleetInstance instance, OrphanScanRequest request) =>
        Applicable(instance, request).Any(p => OrphanPolicy.Screen(instance, p.Cutoff) is null);

    /// <summary>
    /// True when c or d needs the instance's job history: the active set says it holds no
    /// job, phase a does not already take it, and c's or d's gate passes.
    /// </summary>
    public static bool NeedsHistory(FleetInstance instance, OrphanScanRequest request, JobLookup? active) =>
        active is { Outcome: JobLookupOutcome.NoActiveJob }
        && OrphanPolicy.Decide(instance, request.Cutoff, active).Verdict != OrphanVerdict.Orphan
        && Applicable(instance, request).Any(p => p.Phase is OrphanPhase.Unclaimed or OrphanPhase.Completed
            && OrphanPolicy.Screen(instance, p.Cutoff) is null);

    /// <summary>
    /// Judges the instance. <paramref name="active"/> is the active-set answer (null: not
    /// read); <paramref name="history"/> the instance-id-index history (null: not read).
    /// </summary>
    public static (OrphanPhase? Phase, OrphanAssessment Assessment) Judge(
        FleetInstance instance, OrphanScanRequest request, JobLookup? active, JobHistory? history)
    {
        // Without a clean "no active job" from the set, the history is not read: the set's answer stands for it.
        var effectiveHistory = active is { Outcome: not JobLookupOutcome.NoActiveJob } ? new JobHistory(active, 0, []) : history;
        OrphanAssessment? kept = null;
        foreach (var (phase, cutoff) in Applicable(instance, request))
        {
            var assessment = phase switch
            {
                OrphanPhase.MaxRuntime => OrphanPolicy.Decide(instance, cutoff, active),
                OrphanPhase.UnmanagedProfile => OrphanPhaseRules.UnmanagedProfile(instance, cutoff, active),
                OrphanPhase.Unclaimed => OrphanPhaseRules.Unclaimed(instance, cutoff, effectiveHistory),
                OrphanPhase.Completed => OrphanPhaseRules.Completed(instance, cutoff, effectiveHistory),
                _ => OrphanPhaseRules.AbandonedStopped(instance, cutoff, active),
            };
            if (assessment.Verdict == OrphanVerdict.Orphan)
            {
                return (phase, assessment);
            }

            if (kept is null || Weight(assessment.Verdict) > Weight(kept.Verdict))
            {
                kept = assessment;
            }
        }

        return (null, kept ?? new OrphanAssessment(
            OrphanVerdict.NotCandidate,
            instance.Pool is { } pool ? $"{instance.State} member of pool {pool}: its pool owns it" : $"{instance.State}: no enabled phase judges it"));
    }

    private static int Weight(OrphanVerdict verdict) => verdict switch
    {
        OrphanVerdict.LookupFailed => 5,
        OrphanVerdict.ActiveJob => 4,
        OrphanVerdict.Protected => 3,
        OrphanVerdict.MissingLaunchTime => 2,
        OrphanVerdict.Young => 1,
        _ => 0,
    };
}
