using System.Globalization;

namespace RunsFleet.Activities.Jobs;

/// <summary>Attribute names and status values of a job record in the jobs table, exactly as runs-fleet
/// writes them (pkg/db/jobs.go jobRecord, pkg/db/job_status.go; see
/// docs/runs-fleet-compatibility.md). Key: job_id (Number). This project writes timestamps
/// as UTC strings in <see cref="TimestampFormat"/> (what Go's RFC 3339 gives on a UTC host),
/// so they sort lexically and the completed_at-index range queries work on them.</summary>
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
    public const string RequeuedAt = "requeued_at";
    public const string RunId = "run_id";
    public const string Repo = "repo";
    public const string InstanceType = "instance_type";
    public const string Spot = "spot";
    public const string RetryCount = "retry_count";
    public const string WarmPoolHit = "warm_pool_hit";
    public const string HotPoolHit = "hot_pool_hit";
    public const string OriginalLabel = "original_label";

    /// <summary>Why OrphanedJobSweep retired the job (set only on <see cref="Orphaned"/> records).</summary>
    public const string OrphanReason = "orphan_reason";

    // runs-fleet's JobStatus values (pkg/db/job_status.go). The first five are written before a job ends.
    public const string Launched = "launched";
    public const string Claiming = "claiming";
    public const string Running = "running";
    public const string Terminating = "terminating";
    public const string Requeued = "requeued";

    // Terminal statuses runs-fleet writes itself (server, housekeeping, admin API).
    public const string Completed = "completed";
    public const string ErrorStatus = "error";
    public const string Cancelled = "cancelled";

    // Terminal statuses the agent reports and both runs-fleet and this project store as-is.
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Timeout = "timeout";
    public const string Interrupted = "interrupted";

    /// <summary>Written by releases of this project before it wrote the agent's own status (failure was
    /// stored as failed). runs-fleet never writes it; read as terminal so those records still
    /// read as the finished jobs they are.</summary>
    public const string LegacyFailed = "failed";

    /// <summary>Given by OrphanedJobSweep (and runs-fleet's own orphan sweep) to a job no agent will
    /// report on. Deliberately NOT terminal (runs-fleet's IsTerminal excludes it): the mark can
    /// come from a transient lookup fault, so it never makes an instance reapable, and the
    /// owning instance's completion overwrites it. It is finished for archival (completed_at set).</summary>
    public const string Orphaned = "orphaned";

    /// <summary>Format of the timestamps this project writes: sortable, second precision, UTC.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>Statuses a job never leaves: runs-fleet's JobStatus.IsTerminal set plus this project's
    /// legacy <see cref="LegacyFailed"/>. Finished for reaping: an instance whose jobs are all
    /// in one of these has no more work. A job end is only written over a record not in it.</summary>
    public static readonly IReadOnlyList<string> TerminalStatuses =
        [Completed, Success, ErrorStatus, Cancelled, Failure, Timeout, Interrupted, LegacyFailed];

    /// <summary>Statuses whose records OldJobArchival archives and deletes once completed_at is past the
    /// retention (runs-fleet's old_jobs deletes on completed_at alone). Append only:
    /// OldJobArchival's continuation carries an index into this list, and runs started before
    /// the last four were added read the first five only.</summary>
    public static readonly IReadOnlyList<string> ArchivableStatuses =
        [Completed, LegacyFailed, Timeout, Interrupted, Orphaned, Success, Failure, ErrorStatus, Cancelled];

    /// <summary>How many <see cref="ArchivableStatuses"/> the releases before runs-fleet's statuses read.</summary>
    public const int LegacyArchivableCount = 5;

    /// <summary>The statuses runs-fleet writes before a job ends: launched (instance up), claiming
    /// (lease), running, terminating and requeued (both still tied to an instance). The
    /// active-jobs index is read one of these partitions at a time.</summary>
    public static readonly IReadOnlyList<string> ActiveStatuses = [Launched, Claiming, Running, Terminating, Requeued];

    /// <summary>True when <paramref name="status"/> is one a job never leaves.</summary>
    public static bool IsTerminal(string? status) =>
        status is not null && TerminalStatuses.Contains(status, StringComparer.Ordinal);

    /// <summary>True when a record in <paramref name="status"/> still holds its instance: anything not
    /// terminal, including <see cref="Orphaned"/>, a missing status and statuses this code does
    /// not know (fail closed: an unknown word never makes an instance reapable).</summary>
    public static bool HoldsInstance(string? status) => !IsTerminal(status);

    /// <summary>Formats a timestamp the way this project stores it.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stored timestamp: this project's format, or any RFC 3339 text (Go's
    /// time.RFC3339 on a host whose zone is not UTC writes an offset); null when absent or malformed.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, Utc, out var value))
        {
            return value;
        }

        // RFC 3339 always carries a zone (Z or +hh:mm); text without one is not ours to guess.
        var hasZone = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasZone && text.Length >= 20 && text[10] is 'T' or 't'
            && DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }
}
