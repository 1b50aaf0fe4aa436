using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>The rules of phases b-e as pure functions (phase a is <see cref="StrayInstancePolicy.Decide"/>).
/// Each starts with the shared gate (<see cref="StrayInstancePolicy.Screen"/>: launch time known,
/// launched before the phase's cutoff, not protected) and ends with the jobs table (a failed
/// or missing lookup keeps the instance). Pool members are never judged by c, d or e: an
/// idle running pool member is its pool's to keep or stop, and a stopped one is its
/// standby capacity.</summary>
public static class StrayInstancePhaseRules
{
    private const string Running = "running";
    private const string Pending = "pending";
    private const string Stopped = "stopped";

    /// <summary>(b) An instance of the runner instance profile listing without runs-fleet:managed=true:
    /// its spot tags never arrived. Any state the listing returns (stopped ones included). Never a
    /// Packer builder (they share the profile, phase f is theirs), and only with positive
    /// <paramref name="evidence"/> that runs-fleet launched it: without, it is kept and reported.</summary>
    public static StrayInstanceAssessment UnmanagedProfile(
        FleetInstance instance, DateTimeOffset cutoff, JobLookup? lookup, RunnerEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.IsManaged)
        {
            return new(StrayInstanceVerdict.NotCandidate,
                "tagged runs-fleet:managed=true: judged by the managed phases");
        }

        if (instance.IsPackerBuilder)
        {
            return new(StrayInstanceVerdict.NotCandidate, PackerBuilderNote);
        }

        var assessment = StrayInstancePolicy.Screen(instance, cutoff)
            ?? StrayInstancePolicy.Judge(lookup,
                $"{instance.State} on the runner instance profile without runs-fleet:managed=true, launched "
                + $"{StrayInstancePolicy.Stamp(instance.LaunchTime!.Value)}, before "
                + $"{StrayInstancePolicy.Stamp(cutoff)}, and no active job");
        if (assessment.Verdict != StrayInstanceVerdict.Orphan)
        {
            return assessment;
        }

        return evidence switch
        {
            null => new(StrayInstanceVerdict.LookupFailed, "runner evidence was not read"),
            { State: RunnerEvidenceState.Unreadable } => new(
                StrayInstanceVerdict.LookupFailed, "runner evidence unreadable: " + evidence.Detail),
            { State: RunnerEvidenceState.Missing } => new(
                StrayInstanceVerdict.NoRunnerEvidence,
                $"on the runner instance profile without runs-fleet:managed=true, but {evidence.Detail}"),
            _ => new(StrayInstanceVerdict.Orphan, $"{assessment.Reason}; runs-fleet's: {evidence.Detail}"),
        };
    }

    /// <summary>(f) A Packer AMI builder (created-by=runs-fleet-packer) in a state runs-fleet reaps it from,
    /// launched before <paramref name="cutoff"/> (housekeeping/packer.go:19-39). Builders hold no job,
    /// so no job lookup; protected and undated ones are kept like any other instance.</summary>
    public static StrayInstanceAssessment PackerBuilder(FleetInstance instance, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!instance.IsPackerBuilder)
        {
            return new(StrayInstanceVerdict.NotCandidate, "not tagged created-by=runs-fleet-packer");
        }

        if (!PackerBuilderStates.Contains(instance.State, StringComparer.Ordinal))
        {
            return new(
                StrayInstanceVerdict.NotCandidate,
                    $"Packer builder {instance.State}: not a state a builder is reaped from");
        }

        return StrayInstancePolicy.Screen(instance, cutoff)
            ?? new(
                StrayInstanceVerdict.Orphan,
                $"Packer AMI builder (created-by=runs-fleet-packer), {instance.State}, launched "
                    + $"{StrayInstancePolicy.Stamp(instance.LaunchTime!.Value)}, before "
                    + $"{StrayInstancePolicy.Stamp(cutoff)}: "
                    + "its build was killed before Packer cleaned up");
    }

    /// <summary>Why phases a-e leave a Packer builder alone.</summary>
    public const string PackerBuilderNote =
        "a Packer AMI builder (created-by=runs-fleet-packer): only phase f judges it";

    /// <summary>The states runs-fleet reaps a builder from (packer.go:39): Packer stops the builder to snapshot
    /// the AMI, so a build killed then leaves it stopping or stopped.</summary>
    public static IReadOnlyList<string> PackerBuilderStates { get; } = [Pending, Running, "stopping", Stopped];

    /// <summary>(c) A running managed instance outside any pool that never got a job (no job record at all).</summary>
    public static StrayInstanceAssessment Unclaimed(FleetInstance instance, DateTimeOffset cutoff, JobHistory? history)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (HistoryGate(instance, cutoff, history) is { } kept)
        {
            return kept;
        }

        return history!.Records > 0
            ? new(StrayInstanceVerdict.NotCandidate, $"{history.Records} job records: it was claimed")
            : new(StrayInstanceVerdict.Orphan,
                $"never got a job, launched {StrayInstancePolicy.Stamp(instance.LaunchTime!.Value)}, before "
                + $"{StrayInstancePolicy.Stamp(cutoff)}");
    }

    /// <summary>(d) A running managed instance outside any pool whose jobs have all finished, the
    /// last one before <paramref name="cutoff"/>. Launch-time guard: a record completed
    /// before the instance's launch time belongs to a previous life (a restarted instance)
    /// and does not count; a finished record without completed_at keeps the instance.</summary>
    public static StrayInstanceAssessment Completed(FleetInstance instance, DateTimeOffset cutoff, JobHistory? history)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (HistoryGate(instance, cutoff, history) is { } kept)
        {
            return kept;
        }

        if (history!.Completions.Any(c => c is null))
        {
            return new(StrayInstanceVerdict.LookupFailed,
                "a finished job has no completed_at: cannot tell when it ended");
        }

        var launched = instance.LaunchTime!.Value;
        var thisLife = history.Completions.OfType<DateTimeOffset>().Where(c => c >= launched).ToList();
        if (thisLife.Count == 0)
        {
            return new(StrayInstanceVerdict.NotCandidate,
                $"no job completed since its launch at {StrayInstancePolicy.Stamp(launched)}");
        }

        var last = thisLife.Max();
        return last >= cutoff
            ? new(StrayInstanceVerdict.Young,
                $"last job completed {StrayInstancePolicy.Stamp(last)}, not before {StrayInstancePolicy.Stamp(cutoff)}")
            : new(StrayInstanceVerdict.Orphan,
                $"every job finished, the last at {StrayInstancePolicy.Stamp(last)}, before "
                + $"{StrayInstancePolicy.Stamp(cutoff)}");
    }

    /// <summary>(e) A stopped managed instance outside any pool, launched (last started) before <paramref
    /// name="cutoff"/>.</summary>
    public static StrayInstanceAssessment AbandonedStopped(FleetInstance instance, DateTimeOffset cutoff,
        JobLookup? lookup)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.State != Stopped)
        {
            return new(StrayInstanceVerdict.NotCandidate, $"{instance.State}, not stopped");
        }

        if (instance.Pool is { } pool)
        {
            return new(StrayInstanceVerdict.NotCandidate, $"stopped member of pool {pool}: standby capacity");
        }

        return StrayInstancePolicy.Screen(instance, cutoff)
            ?? StrayInstancePolicy.Judge(lookup,
                $"stopped outside any pool, last started {StrayInstancePolicy.Stamp(instance.LaunchTime!.Value)}, "
                + $"before {StrayInstancePolicy.Stamp(cutoff)}, and no active job");
    }

    /// <summary>True for the states phases a, c and d judge (a stopped instance runs no job and costs no
    /// compute).</summary>
    public static bool IsUp(FleetInstance instance) =>
        instance?.State is Pending or Running;

    /// <summary>At the re-check before terminating: why the instance no longer fits the phase that
    /// found it (a started or stopped instance, a tag that arrived late); null when it still does.</summary>
    public static string? ChangedSinceScan(StrayInstancePhase phase, FleetInstance current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return phase switch
        {
            StrayInstancePhase.UnmanagedProfile =>
                current.IsManaged ? "tagged runs-fleet:managed=true since the scan" : null,
            StrayInstancePhase.AbandonedStopped =>
                current.State == Stopped ? null : $"{current.State} since the scan, no longer stopped",
            StrayInstancePhase.PackerBuilder =>
                current.IsPackerBuilder ? null : "no longer tagged created-by=runs-fleet-packer",
            _ => IsUp(current) ? null : $"{current.State} since the scan, no longer pending or running",
        };
    }

    /// <summary>The iam-instance-profile.arn filter values for the configured runner profile: an ARN as
    /// given; a bare name matched in any partition and account, at the root path or any other.</summary>
    public static IReadOnlyList<string> ProfileArnFilter(string profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        var trimmed = profile.Trim();
        return trimmed.StartsWith("arn:", StringComparison.Ordinal)
            ? [trimmed]
            : [$"arn:*:iam::*:instance-profile/{trimmed}", $"arn:*:iam::*:instance-profile/*/{trimmed}"];
    }

    // The gate of c and d: up, outside any pool, through the shared screen, with a clean job history.
    private static StrayInstanceAssessment? HistoryGate(FleetInstance instance, DateTimeOffset cutoff,
        JobHistory? history) =>
        !IsUp(instance) ? new(StrayInstanceVerdict.NotCandidate, $"{instance.State}, not pending or running")
        : instance.Pool is { } pool ? new(StrayInstanceVerdict.NotCandidate, $"member of pool {pool}: its pool owns it")
        : StrayInstancePolicy.Screen(instance, cutoff) ?? Unreadable(history);

    private static StrayInstanceAssessment? Unreadable(JobHistory? history) => history switch
    {
        null => new(StrayInstanceVerdict.LookupFailed, "no jobs lookup was made"),
        { Lookup.Outcome: JobLookupOutcome.NoActiveJob } => null,
        _ => StrayInstancePolicy.Judge(history.Lookup, string.Empty),
    };
}
