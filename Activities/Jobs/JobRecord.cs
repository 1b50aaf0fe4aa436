using System.Globalization;

namespace RunsFleet.Activities.Jobs;

/// <summary>
/// Attribute names and status values of a job record in the jobs table. Key: job_id
/// (Number). Timestamps are UTC strings in <see cref="TimestampFormat"/>, so they sort
/// lexically and the completed_at-index range queries work on them.
/// </summary>
public static class JobRecord
{
    public const string JobId = "job_id";
    public const string InstanceId = "instance_id";
    public const string Pool = "pool";
    public const string Status = "status";
    public const string StartedAt = "started_at";
    public const string CompletedAt = "completed_at";
    public const string ExitCode = "exit_code";
    public const string DurationSeconds = "duration_seconds";
    public const string Error = "error";
    public const string InterruptedBy = "interrupted_by";
    public const string CreatedAt = "created_at";

    /// <summary>Why OrphanedJobSweep retired the job (set only on <see cref="Orphaned"/> records).</summary>
    public const string OrphanReason = "orphan_reason";

    /// <summary>
    /// Terminal status OrphanedJobSweep gives a job no agent will ever report on (its instance is
    /// gone, or it outlived the max runtime). Terminal like the others: a late report never overwrites it.
    /// </summary>
    public const string Orphaned = "orphaned";

    /// <summary>Format of started_at / completed_at: sortable, second precision, UTC.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// Statuses a job never leaves; everything else counts as an active job. Append only:
    /// OldJobArchival's continuation carries an index into this list.
    /// </summary>
    public static readonly IReadOnlyList<string> TerminalStatuses = ["completed", "failed", "timeout", "interrupted", Orphaned];

    /// <summary>
    /// The statuses runs-fleet writes before a job ends: launched (instance up), claiming
    /// (lease), running, terminating and requeued (both still tied to an instance). The
    /// active-jobs index is read one of these partitions at a time.
    /// </summary>
    public static readonly IReadOnlyList<string> ActiveStatuses = ["launched", "claiming", "running", "terminating", "requeued"];

    /// <summary>True when <paramref name="status"/> is one a job never leaves.</summary>
    public static bool IsTerminal(string? status) =>
        status is not null && TerminalStatuses.Contains(status, StringComparer.Ordinal);

    /// <summary>Formats a timestamp the way the table stores it.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a timestamp stored in <see cref="TimestampFormat"/>; null when absent or malformed.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
}
