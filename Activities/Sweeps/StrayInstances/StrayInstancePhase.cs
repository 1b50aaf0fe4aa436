using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>The rule that made an instance an orphan. Each phase has its own switch and grace; all
/// share the sweep's cap, dry run, protected tag and fail-closed lookups.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrayInstancePhase>))]
public enum StrayInstancePhase
{
    /// <summary>(a) Managed, past max runtime + buffer, no active job.</summary>
    MaxRuntime,

    /// <summary>(b) On the runner instance profile without the managed tag (spot tag propagation failed), stopped
    /// ones included, with positive evidence that runs-fleet launched it; never a Packer builder.</summary>
    UnmanagedProfile,

    /// <summary>(c) Managed, no pool tag, never got a job (no job record at all), past its grace.</summary>
    Unclaimed,

    /// <summary>(d) Managed, no pool tag, every job of this life finished, the last one more than its grace
    /// ago.</summary>
    Completed,

    /// <summary>(e) Managed, stopped, no pool tag, launched more than its grace ago (off by default: destroys the
    /// volume).</summary>
    AbandonedStopped,

    /// <summary>(f) A Packer AMI builder (created-by=runs-fleet-packer) pending, running, stopping or stopped,
    /// launched more than its grace (runs-fleet's 1 h) ago: its build was killed before Packer cleaned up.</summary>
    PackerBuilder,
}

/// <summary>Which DescribeInstances listing a scan page reads.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrayInstanceListing>))]
public enum StrayInstanceListing
{
    /// <summary>tag:runs-fleet:managed=true (phases a, c, d, and e when on).</summary>
    Managed,

    /// <summary>iam-instance-profile.arn = the runner profile (phase b).</summary>
    RunnerProfile,

    /// <summary>tag:created-by=runs-fleet-packer (phase f).</summary>
    PackerBuilders,
}

/// <summary>A count per phase (orphans found, or terminated).</summary>
public sealed record StrayInstancePhaseCounts(
    long MaxRuntime = 0,
    long UnmanagedProfile = 0,
    long Unclaimed = 0,
    long Completed = 0,
    long AbandonedStopped = 0,
    long PackerBuilder = 0)
{
    public static StrayInstancePhaseCounts Zero { get; } = new();

    public long Total => MaxRuntime + UnmanagedProfile + Unclaimed + Completed + AbandonedStopped + PackerBuilder;

    public long this[StrayInstancePhase phase] => phase switch
    {
        StrayInstancePhase.MaxRuntime => MaxRuntime,
        StrayInstancePhase.UnmanagedProfile => UnmanagedProfile,
        StrayInstancePhase.Unclaimed => Unclaimed,
        StrayInstancePhase.Completed => Completed,
        StrayInstancePhase.AbandonedStopped => AbandonedStopped,
        StrayInstancePhase.PackerBuilder => PackerBuilder,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not an orphan phase"),
    };

    public StrayInstancePhaseCounts Add(StrayInstancePhaseCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            MaxRuntime + other.MaxRuntime,
            UnmanagedProfile + other.UnmanagedProfile,
            Unclaimed + other.Unclaimed,
            Completed + other.Completed,
            AbandonedStopped + other.AbandonedStopped,
            PackerBuilder + other.PackerBuilder);
    }

    public StrayInstancePhaseCounts Count(StrayInstancePhase phase, long by = 1) => phase switch
    {
        StrayInstancePhase.MaxRuntime => this with { MaxRuntime = MaxRuntime + by },
        StrayInstancePhase.UnmanagedProfile => this with { UnmanagedProfile = UnmanagedProfile + by },
        StrayInstancePhase.Unclaimed => this with { Unclaimed = Unclaimed + by },
        StrayInstancePhase.Completed => this with { Completed = Completed + by },
        StrayInstancePhase.AbandonedStopped => this with { AbandonedStopped = AbandonedStopped + by },
        StrayInstancePhase.PackerBuilder => this with { PackerBuilder = PackerBuilder + by },
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not an orphan phase"),
    };
}

/// <summary>The cutoffs of phases b-f for one sweep, fixed at its start; null means the phase is off.</summary>
/// <param name="UnmanagedProfile">(b) launched before this.</param>
/// <param name="ProfileArns">(b) iam-instance-profile.arn filter values of the runner profile.</param>
/// <param name="Unclaimed">(c) launched before this.</param>
/// <param name="Completed">(d) last job completed before this.</param>
/// <param name="AbandonedStopped">(e) launched (last started) before this.</param>
public sealed record StrayInstancePhaseCutoffs(
    DateTimeOffset? UnmanagedProfile,
    IReadOnlyList<string>? ProfileArns,
    DateTimeOffset? Unclaimed,
    DateTimeOffset? Completed,
    DateTimeOffset? AbandonedStopped)
{
    /// <summary>Only phase a (histories written before the phases existed carry no cutoffs).</summary>
    public static StrayInstancePhaseCutoffs Off { get; } = new(null, null, null, null, null);

    /// <summary>(f) Packer builders launched before this (null: off, and in plans from before phase f).</summary>
    public DateTimeOffset? PackerBuilder { get; init; }

    /// <summary>True when phase b runs: it needs its own listing.</summary>
    public bool ListsRunnerProfile => UnmanagedProfile is not null && ProfileArns is { Count: > 0 };

    /// <summary>True when phase f runs: it needs its own listing.</summary>
    public bool ListsPackerBuilders => PackerBuilder is not null;
}
