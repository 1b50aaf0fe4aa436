using RunsFleet.Activities.Jobs;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>
/// The status words as runs-fleet has them (pkg/db/job_status.go at 2bb4703): which are terminal,
/// which hold an instance, which are archived, and this project's legacy word.
/// </summary>
public sealed class JobRecordStatusTests
{
    [Theory]
    [InlineData("completed")]
    [InlineData("success")]
    [InlineData("error")]
    [InlineData("cancelled")]
    [InlineData("failure")]
    [InlineData("timeout")]
    [InlineData("interrupted")]
    [InlineData("failed")] // written by earlier releases of this project for failure
    public void Runs_fleet_s_terminal_statuses_and_the_legacy_failed_are_terminal(string status)
    {
        Assert.True(JobRecord.IsTerminal(status));
        Assert.False(JobRecord.HoldsInstance(status));
        Assert.Contains(status, JobRecord.ArchivableStatuses);
    }

    [Theory]
    [InlineData("launched")]
    [InlineData("claiming")]
    [InlineData("running")]
    [InlineData("terminating")]
    [InlineData("requeued")]
    [InlineData("orphaned")] // a transient fault may have marked it: never makes an instance reapable
    [InlineData("assigned")] // a word this code does not know: fail closed
    [InlineData(null)]
    public void Everything_else_holds_its_instance(string? status)
    {
        Assert.False(JobRecord.IsTerminal(status));
        Assert.True(JobRecord.HoldsInstance(status));
    }

    [Fact]
    public void Orphaned_records_are_archived_once_old_but_active_ones_never()
    {
        Assert.Contains(JobRecord.Orphaned, JobRecord.ArchivableStatuses);
        Assert.Empty(JobRecord.ActiveStatuses.Intersect(JobRecord.ArchivableStatuses));
    }

    [Fact]
    public void The_archival_order_keeps_the_first_five_of_earlier_releases()
    {
        // OldJobArchival's continuation holds an index into the list: the old prefix must not move.
        Assert.Equal(
            ["completed", "failed", "timeout", "interrupted", "orphaned"],
            JobRecord.ArchivableStatuses.Take(JobRecord.LegacyArchivableCount));
        Assert.Equal(JobRecord.ArchivableStatuses.Count, JobRecord.ArchivableStatuses.Distinct().Count());
    }

    [Theory]
    [InlineData("2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z")]
    [InlineData("2026-12-07T19:00:00+09:00", "2026-12-07T10:00:00Z")] // Go's RFC 3339 on a KST host
    [InlineData("2026-12-07T10:00:00.123456789Z", "2026-12-07T10:00:00Z")]
    public void Timestamps_are_read_in_any_rfc3339_zone(string text, string utc)
    {
        Assert.Equal(utc, JobRecord.FormatTimestamp(JobRecord.ParseTimestamp(text)!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-12-07 10:00:00")]
    [InlineData("2026-12-07T10:00:00")]
    [InlineData("yesterday")]
    public void Timestamps_without_a_zone_or_malformed_read_as_absent(string text)
    {
        Assert.Null(JobRecord.ParseTimestamp(text));
    }
}
