using System.Globalization;
using System.Text;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Which job records are old enough to archive, and where their archive goes. No I/O.</summary>
public static class JobArchiveRules
{
    /// <summary>The retention cutoff as the table stores timestamps (whole seconds, UTC): records
    /// completed strictly before it are archived.</summary>
    public static string Cutoff(DateTimeOffset now, int retentionDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retentionDays);
        return JobRecord.FormatTimestamp(now - TimeSpan.FromDays(retentionDays));
    }

    /// <summary>True when a record may be archived and deleted: its status is archivable (terminal, or
    /// orphaned) and its
    /// completed_at is a readable time strictly before <paramref name="cutoff"/>. The query
    /// already asks for exactly that; this second check keeps a record with an odd
    /// timestamp (which sorts lexically before the cutoff but is not older) safe.</summary>
    public static bool IsArchivable(string? status, string? completedAt, string cutoff)
    {
        if (status is null || !JobRecord.ArchivableStatuses.Contains(status, StringComparer.Ordinal)
            || !TryParse(completedAt, out var completed) || !TryParse(cutoff, out var limit))
        {
            return false;
        }

        return completed < limit;
    }

    /// <summary>Key of one archive object: {prefix}/{yyyy}/{MM}/{dd}/{workflowId}/{runKey}/{status}-{page:D6}.jsonl.
    /// The date is the sweep's start, the run key is fixed for the whole sweep (across
    /// continue-as-new) and the page counts per status, so every page of every sweep gets its
    /// own key and a rerun never overwrites an earlier archive.</summary>
    public static string ArchiveKey(string prefix, DateTimeOffset sweepStartedAt, string workflowId, string runKey,
        string status, int page)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page);
        var utc = sweepStartedAt.ToUniversalTime();
        var trimmedPrefix = prefix.Trim('/');
        var path = string.Create(
            CultureInfo.InvariantCulture,
            $"{utc:yyyy}/{utc:MM}/{utc:dd}/{Segment(workflowId)}/{Segment(runKey)}/{Segment(status)}-{page:D6}.jsonl");
        return trimmedPrefix.Length == 0 ? path : trimmedPrefix + "/" + path;
    }

    /// <summary>The key a retried attempt writes: the first attempt's object is never replaced,
    /// because the retry may see a different page (part of the first one already deleted).</summary>
    public static string KeyForAttempt(string key, int attempt)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (attempt <= 1)
        {
            return key;
        }

        const string Extension = ".jsonl";
        var stem = key.EndsWith(Extension, StringComparison.Ordinal) ? key[..^Extension.Length] : key;
        return string.Create(CultureInfo.InvariantCulture, $"{stem}-attempt{attempt}{Extension}");
    }

    private static bool TryParse(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    // Workflow ids of scheduled runs carry a timestamp with colons; keep keys to safe characters.
    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        return builder.ToString();
    }
}
