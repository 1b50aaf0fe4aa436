using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.Orphans;

/// <summary>
/// The rules of phases b-e as pure functions (phase a is <see cref="OrphanPolicy.Decide"/>).
/// Each starts with the shared gate (<see cref="OrphanPolicy.Screen"/>: launch time known,
/// launched before the phase's cutoff, not protected) and ends with the jobs table (a failed
/// or missing lookup keeps the instance). Pool members are never judged by c, d or e: an
/// idle running pool member is its pool's to keep or stop, and a stopped one is its
/// standby capacity.
/// </summary>
public static class OrphanPhaseRules
{
    private const string Running = "running";
    private const string Pending = "pending";
    private const string Stopped = "stopped";

    /// <summary>
    /// (b) An instance of the runner instance profile listing without runs-fleet:managed=true:
    /// its spot tags never arrived. Any state the listing returns (stopped ones included). Never a
    /// Packer builder (they share the profile, phase f is theirs), and only with positive
    /// <paramref name="evidence"/> that runs-fleet launched it: without, it is kept and reported.
    /// </summary>
    public static OrphanAssessment UnmanagedProfile(
        FleetInstance instance, DateTimeOffset cutoff, JobLookup? lookup, RunnerEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.IsManaged)
        {
            return new(OrphanVerdict.NotCandidate, "tagged runs-fleet:managed=true: judged by the managed phases");
        }

        if (instance.IsPackerBuilder)
        {
            return new(OrphanVerdict.NotCandidate, PackerBuilderNote);
        }

        var assessment = OrphanPolicy.Screen(instance, cutoff)
            ?? OrphanPolicy.Judge(lookup, $"{instance.State} on the runner instance profile without runs-fleet:managed=true, launched {OrphanPolicy.Stamp(instance.LaunchTime!.Value)}, before {OrphanPolicy.Stamp(cutoff)}, and no active job");
        if (assessment.Verdict != OrphanVerdict.Orphan)
        {
            return assessment;
        }

        return evidence switch
        {
            null => new(OrphanVerdict.LookupFailed, "runner evidence was not read"),
            { State: RunnerEvidenceState.Unreadable } => new(
                OrphanVerdict.LookupFailed, "runner evidence unreadable: " + evidence.Detail),
            { State: RunnerEvidenceState.Missing } => new(
                OrphanVerdict.NoRunnerEvidence,
                $"on the runner instance profile without runs-fleet:managed=true, but {evidence.Detail}"),
            _ => new(OrphanVerdict.Orphan, $"{assessment.Reason}; runs-fleet's: {evidence.Detail}"),
        };
    }

    /// <summary>
    /// (f) A Packer AMI builder (created-by=runs-fleet-packer) in a state runs-fleet reaps it from,
    /// launched before <paramref name="cutoff"/> (housekeeping/packer.go:19-39). Builders hold no job,
    /// so no job lookup; protected and undated ones are kept like any other instance.
    /// </summary>
    public static OrphanAssessment PackerBuilder(FleetInstance instance, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!instance.IsPackerBuilder)
        {
            return new(OrphanVerdict.NotCandidate, "not tagged created-by=runs-fleet-packer");
        }

        if (!PackerBuilderStates.Contains(instance.State, StringComparer.Ordinal))
        {
            return new(
                OrphanVerdict.NotCandidate, $"Packer builder {instance.State}: not a state a builder is reaped from");
        }

        return OrphanPolicy.Screen(instance, cutoff)
            ?? new(
                OrphanVerdict.Orphan,
                $"Packer AMI builder (created-by=runs-fleet-packer), {instance.State}, launched "
                    + $"{OrphanPolicy.Stamp(instance.LaunchTime!.Value)}, before {OrphanPolicy.Stamp(cutoff)}: "
                    + "its build was killed before Packer cleaned up");
    }

    /// <summary>Why phases a-e leave a Packer builder alone.</summary>
    public const string PackerBuilderNote =
        "a Packer AMI builder (created-by=runs-fleet-packer): only phase f judges it";

    /// <summary>
    /// The states runs-fleet reaps a builder from (packer.go:39): Packer stops the builder to snapshot
    /// the AMI, so a build killed then leaves it stopping or stopped.
    /// </summary>
    public static IReadOnlyList<string> PackerBuilderStates { get; } = [Pending, Running, "stopping", Stopped];

    /// <summary>(c) A running managed instance outside any pool that never got a job (no job record at all).</summary>
    public static OrphanAssessment Unclaimed(FleetInstance instance, DateTimeOffset cutoff, JobHistory? history)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if ((RunningOutsidePool(instance) ?? OrphanPolicy.Screen(instance, cutoff) ?? Unreadable(history)) is { } kept)
        {
            return kept;
        }

        return history!.Records > 0
            ? new(OrphanVerdict.NotCandidate, $"{history.Records} job records: it was claimed")
            : new(OrphanVerdict.Orphan, $"never got a job, launched {OrphanPolicy.Stamp(instance.LaunchTime!.Value)}, before {OrphanPolicy.Stamp(cutoff)}");
    }

    /// <summary>
    /// (d) A running managed instance outside any pool whose jobs have all finished, the
    /// last one before <paramref name="cutoff"/>. Launch-time guard: a record completed
    /// before the instance's launch time belongs to a previous life (a restarted instance)
    /// and does not count; a finished record without completed_at keeps the instance.
    /// </summary>
    public static OrphanAssessment Completed(FleetInstance instance, DateTimeOffset cutoff, JobHistory? history)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if ((RunningOutsidePool(instance) ?? OrphanPolicy.Screen(instance, cutoff) ?? Unreadable(history)) is { } kept)
        {
            return kept;
        }

        if (history!.Completions.Any(c => c is null))
        {
            return new(OrphanVerdict.LookupFailed, "a finished job has no completed_at: cannot tell when it ended");
        }

        var launched = instance.LaunchTime!.Value;
        var thisLife = history.Completions.OfType<DateTimeOffset>().Where(c => c >= launched).ToList();
        if (thisLife.Count == 0)
        {
            return new(OrphanVerdict.NotCandidate, $"no job completed since its launch at {OrphanPolicy.Stamp(launched)}");
        }

        var last = thisLife.Max();
        return last >= cutoff
            ? new(OrphanVerdict.Young, $"last job completed {OrphanPolicy.Stamp(last)}, not before {OrphanPolicy.Stamp(cutoff)}")
            : new(OrphanVerdict.Orphan, $"every job finished, the last at {OrphanPolicy.Stamp(last)}, before {OrphanPolicy.Stamp(cutoff)}");
    }

    /// <summary>(e) A stopped managed instance outside any pool, launched (last started) before <paramref name="cutoff"/>.</summary>
    public static OrphanAssessment AbandonedStopped(FleetInstance instance, DateTimeOffset cutoff, JobLookup? lookup)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.State != Stopped)
        {
            return new(OrphanVerdict.NotCandidate, $"{instance.State}, not stopped");
        }

        if (instance.Pool is { } pool)
        {
            return new(OrphanVerdict.NotCandidate, $"stopped member of pool {pool}: standby capacity");
        }

        return OrphanPolicy.Screen(instance, cutoff)
            ?? OrphanPolicy.Judge(lookup, $"stopped outside any pool, last started {OrphanPolicy.Stamp(instance.LaunchTime!.Value)}, before {OrphanPolicy.Stamp(cutoff)}, and no active job");
    }

    /// <summary>True for the states phases a, c and d judge (a stopped instance runs no job and costs no compute).</summary>
    public static bool IsUp(FleetInstance instance) =>
        instance?.State is Pending or Running;

    /// <summary>
    /// At the re-check before terminating: why the instance no longer fits the phase that
    /// found it (a started or stopped instance, a tag that arrived late); null when it still does.
    /// </summary>
    public static string? ChangedSinceScan(OrphanPhase phase, FleetInstance current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return phase switch
        {
            OrphanPhase.UnmanagedProfile => current.IsManaged ? "tagged runs-fleet:managed=true since the scan" : null,
            OrphanPhase.AbandonedStopped => current.State == Stopped ? null : $"{current.State} since the scan, no longer stopped",
            OrphanPhase.PackerBuilder =>
                current.IsPackerBuilder ? null : "no longer tagged created-by=runs-fleet-packer",
            _ => IsUp(current) ? null : $"{current.State} since the scan, no longer pending or running",
        };
    }

    /// <summary>
    /// The iam-instance-profile.arn filter values for the configured runner profile: an ARN as
    /// given; a bare name matched in any partition and account, at the root path or any other.
    /// </summary>
    public static IReadOnlyList<string> ProfileArnFilter(string profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        var trimmed = profile.Trim();
        return trimmed.StartsWith("arn:", StringComparison.Ordinal)
            ? [trimmed]
            : [$"arn:*:iam::*:instance-profile/{trimmed}", $"arn:*:iam::*:instance-profile/*/{trimmed}"];
    }

    private static OrphanAssessment? RunningOutsidePool(FleetInstance instance) =>
        !IsUp(instance) ? new(OrphanVerdict.NotCandidate, $"{instance.State}, not pending or running")
        : instance.Pool is { } pool ? new(OrphanVerdict.NotCandidate, $"member of pool {pool}: its pool owns it")
        : null;

    private static OrphanAssessment? Unreadable(JobHistory? history) => history switch
    {
        null => new(OrphanVerdict.LookupFailed, "no jobs lookup was made"),
        { Lookup.Outcome: JobLookupOutcome.NoActiveJob } => null,
        _ => OrphanPolicy.Judge(history.Lookup, string.Empty),
    };
}
