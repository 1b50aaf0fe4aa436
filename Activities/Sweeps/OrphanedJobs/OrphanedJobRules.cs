using System.Globalization;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Common;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>How the sweep judges one job it read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrphanedJobVerdict>))]
public enum OrphanedJobVerdict
{
    /// <summary>No readable job id or age (created_at; requeued_at for a requeued record): never touched.</summary>
    Unreadable,

    /// <summary>Younger than the threshold: left alone whatever its instance says.</summary>
    Young,

    /// <summary>Within the max runtime on a live instance (or without one).</summary>
    Active,

    /// <summary>Orphaned: its instance is gone.</summary>
    InstanceGone,

    /// <summary>Orphaned: it outlived max runtime + slack.</summary>
    OverAge,
}

/// <summary>A job as the sweep reads it: the index item, and requeued_at for a requeued record.</summary>
/// <param name="JobId">Null when the item has no readable job id.</param>
/// <param name="Status">The partition it was read in.</param>
/// <param name="RequeuedAt">The record's requeued_at (read from the table: the index does not project it).</param>
public readonly record struct OrphanedJobView(
    long? JobId, string Status, string? InstanceId, string? CreatedAt, string? RequeuedAt);

/// <summary>The two cutoffs of a sweep, as the table stores timestamps.</summary>
/// <param name="Threshold">A job aged from after this is young (runs-fleet's 2 h).</param>
/// <param name="Runtime">A job aged from before this outlived max runtime + slack.</param>
public sealed record OrphanedJobCutoffs(string Threshold, string Runtime);

/// <summary>The orphaned-job decisions, free of I/O so every boundary can be tested.</summary>
public static class OrphanedJobRules
{
    /// <summary>The name of <see cref="SweepAction.Act"/> in the sweep's results: jobs are marked.</summary>
    public sealed class ActionJson() : SweepActionJsonConverter("Mark");

    /// <summary>runs-fleet's orphanedJobThreshold in minutes (pkg/housekeeping/tasks.go:1054).</summary>
    public const int RunsFleetThresholdMinutes = 120;

    /// <summary>The statuses a job may be orphaned from: runs-fleet's reconcilableStatuses (running, claiming,
    /// launched, requeued; pkg/housekeeping/orphans.go:269), in the order the sweep reads them.
    /// Never terminating: that record comes from a spot interruption warning, and runs-fleet's
    /// interruption handling requeues the job from it.</summary>
    public static readonly IReadOnlyList<string> OrphanableStatuses =
        [JobRecord.Launched, JobRecord.Claiming, JobRecord.Running, JobRecord.Requeued];

    /// <summary>True when a job read in <paramref name="status"/> may be orphaned.</summary>
    public static bool IsOrphanable(string? status) =>
        status is not null && OrphanableStatuses.Contains(status, StringComparer.Ordinal);

    /// <summary>Why a configured status list cannot be swept; null when it can.</summary>
    public static string? StatusesProblem(IReadOnlyCollection<string> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var refused = statuses.Where(s => !IsOrphanable(s)).ToList();
        if (statuses.Count > 0 && refused.Count == 0)
        {
            return null;
        }

        var why = refused.Contains(JobRecord.Terminating, StringComparer.Ordinal)
            ? " (terminating is never orphaned: runs-fleet requeues the job of an interrupted instance from it)"
            : string.Empty;
        return $"must list only statuses a job may be orphaned from ({string.Join(",", OrphanableStatuses)}){why}";
    }

    /// <summary>The sweep's action, refusing to mark when EC2 knew none of the <paramref name="instancesChecked"/>
    /// instances looked up: under the cap, in a dry run too (it reports what a real run would do).</summary>
    public static SweepAction Act(
        long orphanCount, int maxJobs, bool dryRun, long instancesChecked, long instancesKnown) =>
        orphanCount > 0 && AllInstancesUnknown(instancesChecked, instancesKnown)
            ? SweepAction.InstancesUnknown
            : SweepBlastRadius.Decide(orphanCount, maxJobs, dryRun);

    /// <summary>True when instances were looked up and EC2 returned none of them, in any state.</summary>
    public static bool AllInstancesUnknown(long instancesChecked, long instancesKnown) =>
        instancesChecked > 0 && instancesKnown == 0;

    /// <summary>The runtime cutoff as the table stores timestamps: jobs aged from before it are over age.</summary>
    public static string RuntimeCutoff(DateTimeOffset now, int maxRuntimeMinutes, int slackMinutes) =>
        JobRecord.FormatTimestamp(now - TimeSpan.FromMinutes(maxRuntimeMinutes + slackMinutes));

    /// <summary>The threshold cutoff: jobs aged from this or later are young.</summary>
    public static string ThresholdCutoff(DateTimeOffset now, int thresholdMinutes) =>
        JobRecord.FormatTimestamp(now - TimeSpan.FromMinutes(thresholdMinutes));

    /// <summary>Instance ids whose state decides a job: the well-formed ones.</summary>
    public static bool NeedsInstanceLookup(string? instanceId) => InstanceIds.IsValid(instanceId);

    /// <summary>The attribute a record is aged by and its value: requeued_at for a requeued record (a
    /// re-dispatch a moment ago must not be retired because its first attempt was hours earlier;
    /// runs-fleet orphans.go:79-100), created_at otherwise.</summary>
    public static (string Attribute, string? Value) AgedBy(OrphanedJobView job) =>
        job.Status == JobRecord.Requeued
            ? (JobRecord.RequeuedAt, job.RequeuedAt)
            : (JobRecord.CreatedAt, job.CreatedAt);

    /// <summary>True when a requeued record read from the index may be old enough to judge, so its
    /// requeued_at is worth a read: requeued_at is never before created_at, so a record created
    /// after the threshold cutoff is young whatever it says.</summary>
    public static bool NeedsRequeuedAt(string status, string? createdAt, string thresholdCutoff) =>
        status == JobRecord.Requeued && IsBefore(createdAt, thresholdCutoff);

    /// <summary>Judges one job. <paramref name="instanceStates"/> maps the ids DescribeInstances returned to
    /// their state; a looked-up id missing from it is unknown to EC2, i.e. gone. Nothing younger than
    /// the threshold is orphaned; after it, a gone instance orphans the job, and so does outliving
    /// max runtime + slack (a job without a well-formed instance id is judged by that alone).</summary>
    public static (OrphanedJobVerdict Verdict, string? Reason) Judge(
        OrphanedJobView job, OrphanedJobCutoffs cutoffs, IReadOnlyDictionary<string, string> instanceStates)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        ArgumentNullException.ThrowIfNull(instanceStates);
        var (attribute, agedAt) = AgedBy(job);
        // A requeued job created at or after the threshold cutoff is young whatever its requeued_at
        // (never before created_at), so the sweep does not even read it.
        if (job.JobId is not null && job.Status == JobRecord.Requeued && TryParse(job.CreatedAt, out _)
            && !IsBefore(job.CreatedAt, cutoffs.Threshold))
        {
            return (OrphanedJobVerdict.Young, null);
        }

        if (job.JobId is null || agedAt is null || !TryParse(agedAt, out _))
        {
            var missing = job.JobId is null ? JobRecord.JobId : attribute;
            return (OrphanedJobVerdict.Unreadable, $"no readable {missing}");
        }

        if (!IsBefore(agedAt, cutoffs.Threshold))
        {
            return (OrphanedJobVerdict.Young, null);
        }

        var age = $"{Word(attribute)} {agedAt}";
        if (InstanceIds.IsValid(job.InstanceId))
        {
            var state = instanceStates.TryGetValue(job.InstanceId, out var found) ? found : null;
            if (StaleSsmSweepRules.IsInstanceGone(state))
            {
                var instance = state is null
                    ? $"instance {job.InstanceId} not found by EC2"
                    : $"instance {job.InstanceId} is {state}";
                return (OrphanedJobVerdict.InstanceGone, $"{instance} ({age})");
            }
        }

        return IsBefore(agedAt, cutoffs.Runtime)
            ? (OrphanedJobVerdict.OverAge, $"{age}, before {cutoffs.Runtime} (max runtime + slack)")
            : (OrphanedJobVerdict.Active, null);
    }

    /// <summary>True when both are readable times and <paramref name="time"/> is before <paramref
    /// name="cutoff"/>.</summary>
    public static bool IsBefore(string? time, string cutoff) =>
        TryParse(time, out var at) && TryParse(cutoff, out var limit) && at < limit;

    /// <summary>True when the job was aged from strictly before the runtime cutoff (both readable).</summary>
    public static bool IsOverAge(string createdAt, string runtimeCutoff) => IsBefore(createdAt, runtimeCutoff);

    /// <summary>True when <paramref name="value"/> is a readable timestamp (offsets too: runs-fleet writes
    /// them).</summary>
    public static bool TryParse(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string Word(string attribute) => attribute == JobRecord.RequeuedAt ? "requeued" : "created";
}
