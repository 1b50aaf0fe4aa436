using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Final fate of an instance in an orphan sweep's result.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrayInstanceDecision>))]
public enum StrayInstanceDecision
{
    /// <summary>TerminateInstances accepted it.</summary>
    Terminated,

    /// <summary>Dry run: it would have been terminated.</summary>
    DryRun,

    /// <summary>An orphan, kept because the run found more orphans than the cap.</summary>
    CapReached,

    /// <summary>Kept: a non-terminal job is on it (at scan time or at the re-check before terminating).</summary>
    ActiveJob,

    /// <summary>Kept: tagged runs-fleet:protected=true.</summary>
    Protected,

    /// <summary>Kept: the jobs lookup failed or was ambiguous (fail closed).</summary>
    LookupFailed,

    /// <summary>Kept: EC2 reported no launch time.</summary>
    MissingLaunchTime,

    /// <summary>An orphan whose TerminateInstances call failed after its retries.</summary>
    TerminateFailed,

    /// <summary>An orphan that was no longer pending/running (or known to EC2) at the re-check: nothing to
    /// do.</summary>
    Gone,

    /// <summary>Kept: on the runner instance profile without the managed tag, but nothing shows runs-fleet launched
    /// it (no runs-fleet:* tag, job record or instance claim names it): not ours to terminate.</summary>
    NoRunnerEvidence,

    /// <summary>
    /// Kept: a live runs-fleet instance claim promises it to a job (pools table, __instance_claim:ID).
    /// </summary>
    Claimed,

    /// <summary>Kept: EC2 termination protection (DisableApiTermination) refused TerminateInstances for it.</summary>
    TerminationProtected,
}

/// <summary>One instance in the result, with its decision and why.</summary>
public sealed record StrayInstanceReport(string InstanceId, DateTimeOffset? LaunchTime, StrayInstanceDecision Decision,
    string Reason)
{
    /// <summary>The phase that found the orphan; null for kept instances.</summary>
    public StrayInstancePhase? Phase { get; init; }
}

/// <summary>An instance the scan judged orphaned, carried to the termination phase.</summary>
public sealed record StrayInstanceCandidate(string InstanceId, DateTimeOffset? LaunchTime, string Reason)
{
    /// <summary>The phase that found it (histories written before the phases: a).</summary>
    public StrayInstancePhase Phase { get; init; }

    /// <summary>Its report with <paramref name="decision"/> and <paramref name="reason"/>.</summary>
    public StrayInstanceReport Report(StrayInstanceDecision decision, string reason) =>
        new(InstanceId, LaunchTime, decision, reason) { Phase = Phase };
}

/// <summary>How many instances were kept, per reason (also those not listed by id).</summary>
public sealed record StrayInstanceKeptCounts(
    int MissingLaunchTime = 0, int Protected = 0, int ActiveJob = 0, int LookupFailed = 0, int NoRunnerEvidence = 0)
{
    public static StrayInstanceKeptCounts Zero { get; } = new();

    public int Total => MissingLaunchTime + Protected + ActiveJob + LookupFailed + NoRunnerEvidence;

    public StrayInstanceKeptCounts Add(StrayInstanceKeptCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            MissingLaunchTime + other.MissingLaunchTime,
            Protected + other.Protected,
            ActiveJob + other.ActiveJob,
            LookupFailed + other.LookupFailed,
            NoRunnerEvidence + other.NoRunnerEvidence);
    }

    public StrayInstanceKeptCounts Count(StrayInstanceVerdict verdict) => verdict switch
    {
        StrayInstanceVerdict.MissingLaunchTime => this with { MissingLaunchTime = MissingLaunchTime + 1 },
        StrayInstanceVerdict.Protected => this with { Protected = Protected + 1 },
        StrayInstanceVerdict.ActiveJob => this with { ActiveJob = ActiveJob + 1 },
        StrayInstanceVerdict.LookupFailed => this with { LookupFailed = LookupFailed + 1 },
        StrayInstanceVerdict.NoRunnerEvidence => this with { NoRunnerEvidence = NoRunnerEvidence + 1 },
        _ => this,
    };

    /// <summary>The report decision of a kept verdict.</summary>
    public static StrayInstanceDecision DecisionOf(StrayInstanceVerdict verdict) => verdict switch
    {
        StrayInstanceVerdict.MissingLaunchTime => StrayInstanceDecision.MissingLaunchTime,
        StrayInstanceVerdict.Protected => StrayInstanceDecision.Protected,
        StrayInstanceVerdict.ActiveJob => StrayInstanceDecision.ActiveJob,
        StrayInstanceVerdict.LookupFailed => StrayInstanceDecision.LookupFailed,
        StrayInstanceVerdict.NoRunnerEvidence => StrayInstanceDecision.NoRunnerEvidence,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a kept verdict"),
    };
}
