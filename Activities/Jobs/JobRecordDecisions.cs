namespace RunsFleet.Activities.Jobs;

/// <summary>What a failed conditional update meant, decided from the record read back afterwards.
/// Null means the record now satisfies the condition after all (it changed between the
/// update and the read): the caller retries instead of guessing.</summary>
public static class JobRecordDecisions
{
    /// <summary>Snapshot of the fields the decisions look at; <paramref name="Exists"/> false for no record.</summary>
    public sealed record Snapshot(bool Exists, string? InstanceId, string? Status, string? StartedAt, string? Pool);

    /// <summary>Why CompleteJob's condition failed. Ownership is checked before status: another instance's record is
    /// never reported as ours.</summary>
    public static CompleteJobOutcome? AfterFailedCompletion(Snapshot record, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            return CompleteJobOutcome.NotFound;
        }

        if (!string.Equals(record.InstanceId, instanceId, StringComparison.Ordinal))
        {
            return CompleteJobOutcome.OwnedByOtherInstance;
        }

        return JobRecord.IsTerminal(record.Status) ? CompleteJobOutcome.AlreadyTerminal : null;
    }

    /// <summary>Why RecordJobStarted's condition (this instance's record, launched or claiming) failed.
    /// Null: the record is launched or claiming after all, so it changed in between, or it is
    /// runs-fleet's claim stub that has no instance yet (see <see cref="AwaitsLaunch"/>); retry.</summary>
    public static RecordJobStartedOutcome? AfterFailedStart(Snapshot record, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            return RecordJobStartedOutcome.NotFound;
        }

        if (AwaitsLaunch(record))
        {
            return null;
        }

        if (!string.Equals(record.InstanceId, instanceId, StringComparison.Ordinal))
        {
            return RecordJobStartedOutcome.OwnedByOtherInstance;
        }

        if (JobRecord.IsTerminal(record.Status))
        {
            return RecordJobStartedOutcome.AlreadyTerminal;
        }

        return record.Status switch
        {
            JobRecord.Running => RecordJobStartedOutcome.AlreadyRecorded,
            JobRecord.Launched or JobRecord.Claiming => null,
            _ => RecordJobStartedOutcome.NotStartable,
        };
    }

    /// <summary>True for runs-fleet's claim stub: claiming and no instance_id (writeClaim, pkg/db/jobs.go:279).
    /// The instance is written by SaveJob once it is launched, so a start report that overtakes
    /// SaveJob is retried until the record names its instance, instead of being dropped (runs-fleet
    /// drops it, and its unconfirmed-runner watchdog later kills the live job).</summary>
    public static bool AwaitsLaunch(Snapshot record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Exists && record.InstanceId is null && record.Status == JobRecord.Claiming;
    }
}
