using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Runs the enabled phases over one listed instance, in order a, b, c, d, e, f: the first phase
/// that finds it orphaned names it; otherwise the weightiest reason to keep it is reported
/// (a failed lookup before an active job before protected before an unknown age). Pure: the
/// activity reads the active-job set and the job histories this asks for.</summary>
internal static class StrayInstanceScanJudge
{
    /// <summary>The phases that may judge <paramref name="instance"/> on this listing, with their cutoffs.</summary>
    public static IEnumerable<(StrayInstancePhase Phase, DateTimeOffset Cutoff)> Applicable(FleetInstance instance,
        StrayInstanceScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(request);
        var phases = request.Phases ?? StrayInstancePhaseCutoffs.Off;
        if (request.Listing == StrayInstanceListing.PackerBuilders)
        {
            if (phases.PackerBuilder is { } builderCutoff && instance.IsPackerBuilder)
            {
                yield return (StrayInstancePhase.PackerBuilder, builderCutoff);
            }

            yield break;
        }

        // A Packer builder is never a runner: phases a-e leave it to f, whatever listing shows it.
        if (instance.IsPackerBuilder)
        {
            yield break;
        }

        if (request.Listing == StrayInstanceListing.RunnerProfile)
        {
            if (phases.UnmanagedProfile is { } profileCutoff && !instance.IsManaged)
            {
                yield return (StrayInstancePhase.UnmanagedProfile, profileCutoff);
            }

            yield break;
        }

        var up = StrayInstancePhaseRules.IsUp(instance);
        if (up)
        {
            yield return (StrayInstancePhase.MaxRuntime, request.Cutoff);
        }

        // Pool members belong to their pool: c, d and e never judge them.
        if (instance.Pool is not null)
        {
            yield break;
        }

        if (up && phases.Unclaimed is { } unclaimedCutoff)
        {
            yield return (StrayInstancePhase.Unclaimed, unclaimedCutoff);
        }

        if (up && phases.Completed is { } completedCutoff)
        {
            yield return (StrayInstancePhase.Completed, completedCutoff);
        }

        if (!up && phases.AbandonedStopped is { } stoppedCutoff)
        {
            yield return (StrayInstancePhase.AbandonedStopped, stoppedCutoff);
        }
    }

    /// <summary>True when some phase's fate for the instance depends on the active-job set (f's never does).</summary>
    public static bool NeedsActiveJobs(FleetInstance instance, StrayInstanceScanRequest request) =>
        Applicable(instance, request)
            .Any(p => p.Phase != StrayInstancePhase.PackerBuilder && StrayInstancePolicy.Screen(instance,
                p.Cutoff) is null);

    /// <summary>True when c or d needs the instance's job history: the active set says it holds no
    /// job, phase a does not already take it, and c's or d's gate passes.</summary>
    public static bool NeedsHistory(FleetInstance instance, StrayInstanceScanRequest request, JobLookup? active) =>
        active is { Outcome: JobLookupOutcome.NoActiveJob }
        && (NeedsEvidence(instance, request, active)
            || (StrayInstancePolicy.Decide(instance, request.Cutoff, active).Verdict != StrayInstanceVerdict.Orphan
                && Applicable(instance, request).Any(p =>
                    p.Phase is StrayInstancePhase.Unclaimed or StrayInstancePhase.Completed
                    && StrayInstancePolicy.Screen(instance, p.Cutoff) is null)));

    /// <summary>True when b would take the instance but its tags prove nothing: its job records (and, if it
    /// has none, its instance claim) must show runs-fleet launched it.</summary>
    public static bool NeedsEvidence(FleetInstance instance, StrayInstanceScanRequest request, JobLookup? active) =>
        active is { Outcome: JobLookupOutcome.NoActiveJob }
        && instance.LaunchTag is null
        && Applicable(instance, request)
            .Any(p => p.Phase == StrayInstancePhase.UnmanagedProfile && StrayInstancePolicy.Screen(instance,
                p.Cutoff) is null);

    /// <summary>True when b needs the instance's claim: no tag and no job record name it.</summary>
    public static bool NeedsClaim(
        FleetInstance instance, StrayInstanceScanRequest request, JobLookup? active, JobHistory? history) =>
        NeedsEvidence(instance, request, active)
        && history is { Records: 0, Lookup.Outcome: JobLookupOutcome.NoActiveJob };

    /// <summary>Judges the instance. <paramref name="active"/> is the active-set answer (null: not
    /// read); <paramref name="history"/> the instance-id-index history (null: not read);
    /// <paramref name="claim"/> its instance claim (null: not read; b's evidence only).</summary>
    public static (StrayInstancePhase? Phase, StrayInstanceAssessment Assessment) Judge(
        FleetInstance instance,
        StrayInstanceScanRequest request,
        JobLookup? active,
        JobHistory? history,
        InstanceClaim? claim = null)
    {
        // Without a clean "no active job" from the set, the history is not read: the set's answer stands for it.
        var effectiveHistory = active is { Outcome: not JobLookupOutcome.NoActiveJob } ? new JobHistory(active, 0,
            []) : history;
        StrayInstanceAssessment? kept = null;
        foreach (var (phase, cutoff) in Applicable(instance, request))
        {
            var assessment = phase switch
            {
                StrayInstancePhase.MaxRuntime => StrayInstancePolicy.Decide(instance, cutoff, active),
                // The history, when read, is the better answer: instance-id-index sees every status (orphaned too).
                StrayInstancePhase.UnmanagedProfile => StrayInstancePhaseRules.UnmanagedProfile(
                    instance,
                    cutoff,
                    effectiveHistory?.Lookup ?? active,
                    RunnerEvidence.Weigh(instance, effectiveHistory, claim)),
                StrayInstancePhase.PackerBuilder => StrayInstancePhaseRules.PackerBuilder(instance, cutoff),
                StrayInstancePhase.Unclaimed => StrayInstancePhaseRules.Unclaimed(instance, cutoff, effectiveHistory),
                StrayInstancePhase.Completed => StrayInstancePhaseRules.Completed(instance, cutoff, effectiveHistory),
                _ => StrayInstancePhaseRules.AbandonedStopped(instance, cutoff, active),
            };
            if (assessment.Verdict == StrayInstanceVerdict.Orphan)
            {
                return (phase, assessment);
            }

            if (kept is null || Weight(assessment.Verdict) > Weight(kept.Verdict))
            {
                kept = assessment;
            }
        }

        return (null, kept ?? new StrayInstanceAssessment(
            StrayInstanceVerdict.NotCandidate,
            instance.IsPackerBuilder && request.Listing != StrayInstanceListing.PackerBuilders
                ? StrayInstancePhaseRules.PackerBuilderNote
            : instance.Pool is { } pool ? $"{instance.State} member of pool {pool}: its pool owns it"
            : $"{instance.State}: no enabled phase judges it"));
    }

    private static int Weight(StrayInstanceVerdict verdict) => verdict switch
    {
        StrayInstanceVerdict.LookupFailed => 6,
        StrayInstanceVerdict.NoRunnerEvidence => 5,
        StrayInstanceVerdict.ActiveJob => 4,
        StrayInstanceVerdict.Protected => 3,
        StrayInstanceVerdict.MissingLaunchTime => 2,
        StrayInstanceVerdict.Young => 1,
        _ => 0,
    };
}
