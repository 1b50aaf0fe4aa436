namespace RunsFleet.Activities.Jobs;

/// <summary>
/// What a failed conditional update meant, decided from the record read back afterwards.
/// Null means the record now satisfies the condition after all (it changed between the
/// update and the read): the caller retries instead of guessing.
/// </summary>
public static class JobRecordDecisions
{
    /// <summary>Snapshot of the fields the decisions look at; <paramref name="Exists"/> false for no record.</summary>
    public sealed record Snapshot(bool Exists, string? InstanceId, string? Status, string? StartedAt, string? Pool);

    /// <summary>Why CompleteJob's condition failed. Ownership is checked before status: another instance's record is never reported as ours.</summary>
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

    /// <summary>Why RecordJobStarted's condition failed.</summary>
    public static RecordJobStartedOutcome? AfterFailedStart(Snapshot record, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Exists)
        {
            return RecordJobStartedOutcome.NotFound;
        }

        if (!string.Equals(record.InstanceId, instanceId, StringComparison.Ordinal))
        {
            return RecordJobStartedOutcome.OwnedByOtherInstance;
        }

        if (JobRecord.IsTerminal(record.Status))
        {
            return RecordJobStartedOutcome.AlreadyTerminal;
        }

        return record.StartedAt is not null ? RecordJobStartedOutcome.AlreadyRecorded : null;
    }
}
