namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Every job record instance-id-index holds for one instance, cut down to what the orphan
/// phases judge: whether one is active (or the read failed), how many there are, and when
/// each finished one completed. The reading stops at the first active record, which
/// decides every phase on its own.</summary>
/// <param name="Lookup">Active, none active, or failed (callers fail closed).</param>
/// <param name="Records">Job records read (all statuses).</param>
/// <param name="Completions">completed_at of each finished record; null where it is missing or malformed.</param>
public sealed record JobHistory(JobLookup Lookup, int Records, IReadOnlyList<DateTimeOffset?> Completions)
{
    /// <summary>A history that could not be read: every phase keeps the instance.</summary>
    public static JobHistory Failed(string reason) => new(JobLookup.Failure(reason), 0, []);
}
