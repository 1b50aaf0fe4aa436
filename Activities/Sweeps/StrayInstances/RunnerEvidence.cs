using System.Globalization;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Whether something shows runs-fleet launched an instance.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunnerEvidenceState>))]
public enum RunnerEvidenceState
{
    /// <summary>A runs-fleet:* tag, a job record or an instance claim names it.</summary>
    Found,

    /// <summary>None of them does: not ours to terminate.</summary>
    Missing,

    /// <summary>A source could not be read: kept (fail closed).</summary>
    Unreadable,
}

/// <summary>Phase b's positive evidence that an instance on the runner instance profile is a runs-fleet
/// runner, not another workload sharing the profile (a Packer builder, an operator's debug box).
/// What counts, from runs-fleet's launch code: a runs-fleet:* tag (fleet.go buildTags, written with
/// the launch and again by CreateTags; fleet.go:232-242); a job record on instance-id-index
/// (SaveJob writes instance_id right after the launch, jobs.go:109); an instance claim row
/// (written for pool instances before a job starts on them, instance_claims.go:35). The launch
/// template (aws:ec2launchtemplate:id) is not used: it would take a DescribeLaunchTemplates call and
/// runs-fleet's template-name setting, and every launch it covers also leaves a job record or a claim.</summary>
public sealed record RunnerEvidence(RunnerEvidenceState State, string Detail)
{
    /// <summary>The evidence for <paramref name="instance"/>, cheapest source first: its tags, then its job
    /// <paramref name="history"/> (null: not read), then its <paramref name="claim"/> (null: not read).</summary>
    public static RunnerEvidence Weigh(FleetInstance instance, JobHistory? history, InstanceClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.LaunchTag is { } tag)
        {
            return new(RunnerEvidenceState.Found, $"tagged {tag}");
        }

        if (history is null || history.Lookup.Outcome == JobLookupOutcome.Failed)
        {
            return new(RunnerEvidenceState.Unreadable, history?.Lookup.Reason ?? "its job records were not read");
        }

        if (history.Records > 0)
        {
            return new(
                RunnerEvidenceState.Found,
                string.Create(CultureInfo.InvariantCulture,
                    $"{history.Records} job record(s) on instance-id-index name it"));
        }

        return claim switch
        {
            null => new(RunnerEvidenceState.Unreadable, "its instance claim was not read"),
            { State: ClaimState.Unreadable } => new(
                RunnerEvidenceState.Unreadable, claim.Reason ?? "instance claim unreadable"),
            { State: ClaimState.None } => new(
                RunnerEvidenceState.Missing,
                "no runs-fleet:* tag, job record or instance claim names it: not launched by runs-fleet as far as we "
                    + "can tell"),
            _ => new(RunnerEvidenceState.Found, "an instance claim row names it" + JobOf(claim)),
        };
    }

    private static string JobOf(InstanceClaim claim) =>
        claim.JobId is { } id ? $" (job {id.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
}
