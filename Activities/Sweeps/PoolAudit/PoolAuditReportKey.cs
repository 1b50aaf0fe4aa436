using System.Globalization;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>S3 key of a report: prefix/yyyy/MM/dd/pool-audit-HHmmss-{workflow id}-{run id}.md.
/// The run id makes every run's key unique, so a rerun never overwrites an earlier
/// report, and the date path keeps a day's reports together.</summary>
internal static class PoolAuditReportKey
{
    public static string For(string? prefix, DateTimeOffset auditTime, string workflowId, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var normalized = string.IsNullOrEmpty(prefix) ? string.Empty : prefix.TrimEnd('/') + "/";
        var utc = auditTime.ToUniversalTime();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{normalized}{utc:yyyy}/{utc:MM}/{utc:dd}/pool-audit-{utc:HHmmss}-{Safe(workflowId)}-{Safe(runId)}.md");
    }

    // Workflow ids of scheduled runs contain ':' and '+' from the timestamp Temporal appends.
    private static string Safe(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
}
