using System.Globalization;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>What the sweep does once the scan is complete.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrphanedJobAction>))]
public enum OrphanedJobAction
{
    /// <summary>No orphaned job was found.</summary>
    Nothing,

    /// <summary>Every orphaned job is marked.</summary>
    Mark,

    /// <summary>Dry run: reported, nothing written.</summary>
    DryRun,

    /// <summary>More orphaned jobs than the cap: none marked (something is wrong at a larger scale).</summary>
    CapReached,
}

/// <summary>The orphaned-job decisions, free of I/O so every boundary can be tested.</summary>
public static class OrphanedJobRules
{
    /// <summary>The sweep's action for <paramref name="orphanCount"/> orphaned jobs.</summary>
    /// <remarks>
    /// Above the cap, NONE is marked, as OrphanSweep terminates none: that many jobs losing
    /// their instances at once means an outage, a wrong region or a broken EC2 answer, and
    /// an operator should look before thousands of records become terminal for good.
    /// </remarks>
    public static OrphanedJobAction Act(long orphanCount, int maxJobs, bool dryRun) =>
        orphanCount == 0 ? OrphanedJobAction.Nothing
        : dryRun ? OrphanedJobAction.DryRun
        : orphanCount > maxJobs ? OrphanedJobAction.CapReached
        : OrphanedJobAction.Mark;

    /// <summary>The runtime cutoff as the table stores timestamps: jobs created strictly before it are over age.</summary>
    public static string RuntimeCutoff(DateTimeOffset now, int maxRuntimeMinutes, int slackMinutes) =>
        JobRecord.FormatTimestamp(now - TimeSpan.FromMinutes(maxRuntimeMinutes + slackMinutes));

    /// <summary>Instance ids whose state decides a job: the well-formed ones.</summary>
    public static bool NeedsInstanceLookup(string? instanceId) => InstanceIds.IsValid(instanceId);

    /// <summary>
    /// Judges one job read in a non-terminal status. <paramref name="instanceStates"/> maps the
    /// ids DescribeInstances returned to their state; a looked-up id missing from it is unknown
    /// to EC2, i.e. gone. A job without a well-formed instance id is judged by age alone.
    /// Null: the job stays (within the runtime on a live instance, or without one).
    /// </summary>
    public static (OrphanCause Cause, string Reason)? Judge(
        string? instanceId,
        string createdAt,
        string runtimeCutoff,
        IReadOnlyDictionary<string, string> instanceStates)
    {
        ArgumentNullException.ThrowIfNull(instanceStates);
        if (InstanceIds.IsValid(instanceId))
        {
            var state = instanceStates.TryGetValue(instanceId, out var found) ? found : null;
            if (StaleSsmSweepRules.IsInstanceGone(state))
            {
                return (OrphanCause.InstanceGone, state is null ? $"instance {instanceId} not found by EC2" : $"instance {instanceId} is {state}");
            }
        }

        return IsOverAge(createdAt, runtimeCutoff)
            ? (OrphanCause.OverAge, $"created {createdAt}, before {runtimeCutoff} (max runtime + slack)")
            : null;
    }

    /// <summary>True when both are readable UTC times and the job was created strictly before the cutoff.</summary>
    public static bool IsOverAge(string createdAt, string runtimeCutoff) =>
        TryParse(createdAt, out var created) && TryParse(runtimeCutoff, out var cutoff) && created < cutoff;

    /// <summary>True when <paramref name="value"/> is a readable timestamp.</summary>
    public static bool TryParse(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
