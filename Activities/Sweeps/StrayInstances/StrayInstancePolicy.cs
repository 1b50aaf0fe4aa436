using System.Globalization;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>What the scan concluded about one instance.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrayInstanceVerdict>))]
public enum StrayInstanceVerdict
{
    /// <summary>Launched after the cutoff: could still be running a legitimate job.</summary>
    Young,

    /// <summary>EC2 gave no launch time, so its age is unknown: kept.</summary>
    MissingLaunchTime,

    /// <summary>Tagged runs-fleet:protected=true: never terminated.</summary>
    Protected,

    /// <summary>The jobs table has a non-terminal job on it.</summary>
    ActiveJob,

    /// <summary>The jobs lookup failed or was ambiguous: kept (fail closed).</summary>
    LookupFailed,

    /// <summary>Old enough, unprotected, and no active job: to be terminated.</summary>
    Orphan,

    /// <summary>No phase applies (an idle pool member, a state or tag the phase does not judge, job records that do not
    /// fit).</summary>
    NotCandidate,

    /// <summary>(b) Nothing shows runs-fleet launched it: kept and reported.</summary>
    NoRunnerEvidence,
}

/// <summary>A verdict and the sentence the report shows for it.</summary>
public sealed record StrayInstanceAssessment(StrayInstanceVerdict Verdict, string Reason);

/// <summary>The orphan rules as pure functions, so every boundary is tested without AWS:
/// an instance is an orphan when it launched strictly before the cutoff, is not
/// protected, and the jobs table positively says it has no active job.</summary>
public static class StrayInstancePolicy
{
    /// <summary>The name of <see cref="SweepAction.Act"/> in the sweep's results: instances are terminated.</summary>
    public sealed class ActionJson() : SweepActionJsonConverter("Terminate");

    /// <summary>Instances launched before this are candidates: now - max runtime - buffer.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, int maxRuntimeMinutes, int bufferMinutes) =>
        now - TimeSpan.FromMinutes(maxRuntimeMinutes) - TimeSpan.FromMinutes(bufferMinutes);

    /// <summary>True when the instance's fate depends on the jobs table. Young, undated and
    /// protected instances are kept whatever it says, so they cost no lookup.</summary>
    public static bool NeedsJobLookup(FleetInstance instance, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.LaunchTime is { } launched && launched < cutoff && !instance.IsProtected;
    }

    /// <summary>Decides one instance. <paramref name="lookup"/> is the jobs-table answer; null means
    /// none was made, which for a candidate counts as a failed lookup (fail closed).</summary>
    public static StrayInstanceAssessment Decide(FleetInstance instance, DateTimeOffset cutoff, JobLookup? lookup) =>
        Screen(instance, cutoff)
        ?? Judge(lookup, $"launched {Stamp(instance.LaunchTime!.Value)}, before the cutoff {Stamp(cutoff)}, and no "
            + $"active job");

    /// <summary>The gate every phase shares: an undated, young (launched at or after
    /// <paramref name="cutoff"/>) or protected instance is kept whatever the jobs say.
    /// Null when the instance passes and its fate depends on the jobs table.</summary>
    public static StrayInstanceAssessment? Screen(FleetInstance instance, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.LaunchTime is not { } launched)
        {
            return new(StrayInstanceVerdict.MissingLaunchTime, "EC2 reported no launch time, so its age is unknown");
        }

        if (launched >= cutoff)
        {
            return new(StrayInstanceVerdict.Young,
                $"launched {Stamp(launched)}, not before the cutoff {Stamp(cutoff)}");
        }

        return instance.IsProtected ? new(StrayInstanceVerdict.Protected, "tagged runs-fleet:protected=true") : null;
    }

    /// <summary>The jobs-table answer for a screened instance: no lookup or a failed one keeps it
    /// (fail closed), an active job keeps it, otherwise it is an orphan for <paramref name="orphanReason"/>.</summary>
    public static StrayInstanceAssessment Judge(JobLookup? lookup, string orphanReason) => lookup switch
    {
        null => new(StrayInstanceVerdict.LookupFailed, "no jobs lookup was made"),
        { Outcome: JobLookupOutcome.Failed } => new(StrayInstanceVerdict.LookupFailed,
            lookup.Reason ?? "jobs lookup failed"),
        { Outcome: JobLookupOutcome.ActiveJob } => new(
            StrayInstanceVerdict.ActiveJob,
            lookup.JobId is { } id ? $"active job {id.ToString(CultureInfo.InvariantCulture)}" : "active job"),
        _ => new(StrayInstanceVerdict.Orphan, orphanReason),
    };

    /// <summary>A timestamp as the reports show it.</summary>
    public static string Stamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
