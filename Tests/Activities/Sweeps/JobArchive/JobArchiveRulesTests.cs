using RunsFleet.Activities.Sweeps.JobArchive;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

public class JobArchiveRulesTests
{
    private const string Cutoff = "2026-11-21T02:00:00Z";

    [Fact]
    public void Cutoff_is_now_minus_retention_in_whole_seconds()
    {
        var now = new DateTimeOffset(2026, 11, 28, 2, 0, 0, 750, TimeSpan.Zero);

        Assert.Equal(Cutoff, JobArchiveRules.Cutoff(now, 7));
        Assert.Equal("2026-11-27T02:00:00Z", JobArchiveRules.Cutoff(now, 1));
    }

    [Fact]
    public void Cutoff_is_in_utc_whatever_the_offset_of_now() =>
        Assert.Equal(Cutoff, JobArchiveRules.Cutoff(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.FromHours(1)), 7));

    [Theory]
    [InlineData("completed", "2026-11-21T01:59:59Z", true)]   // one second older than the cutoff
    [InlineData("failed", "2026-01-01T00:00:00Z", true)]
    [InlineData("timeout", "2026-11-21T01:59:59Z", true)]
    [InlineData("interrupted", "2026-11-21T01:59:59Z", true)]
    [InlineData("completed", "2026-11-21T02:00:00Z", false)]  // exactly at the cutoff is not older
    [InlineData("completed", "2026-11-21T02:00:01Z", false)]  // one second newer
    [InlineData("completed", "2026-11-21T02:00:00.500Z", false)] // sorts before the cutoff as text, but is newer
    [InlineData("running", "2026-01-01T00:00:00Z", false)]    // an active job is never archived
    [InlineData("started", "2026-01-01T00:00:00Z", false)]
    [InlineData(null, "2026-01-01T00:00:00Z", false)]
    [InlineData("completed", "yesterday", false)]
    [InlineData("completed", "", false)]
    [InlineData("completed", null, false)]
    public void Archives_only_terminal_records_strictly_older_than_the_cutoff(string? status, string? completedAt, bool expected) =>
        Assert.Equal(expected, JobArchiveRules.IsArchivable(status, completedAt, Cutoff));

    [Fact]
    public void Archive_key_is_laid_out_by_date_workflow_run_status_and_page()
    {
        var started = new DateTimeOffset(2026, 11, 28, 2, 0, 3, TimeSpan.Zero);

        var key = JobArchiveRules.ArchiveKey("archive/jobs/", started, "sweep-old-jobs-2026-11-28T02:00:00Z", "run-1", "completed", 7);

        Assert.Equal("archive/jobs/2026/11/28/sweep-old-jobs-2026-11-28T02-00-00Z/run-1/completed-000007.jsonl", key);
    }

    [Fact]
    public void Archive_key_without_prefix_starts_with_the_year() =>
        Assert.Equal(
            "2026/01/05/sweep-old-jobs/r/failed-000001.jsonl",
            JobArchiveRules.ArchiveKey("", new DateTimeOffset(2026, 1, 5, 23, 0, 0, TimeSpan.Zero), "sweep-old-jobs", "r", "failed", 1));

    [Fact]
    public void Archive_keys_of_two_runs_or_two_pages_differ()
    {
        var started = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
        var keys = new[]
        {
            JobArchiveRules.ArchiveKey("p", started, "sweep-old-jobs", "run-a", "completed", 1),
            JobArchiveRules.ArchiveKey("p", started, "sweep-old-jobs", "run-b", "completed", 1),
            JobArchiveRules.ArchiveKey("p", started, "sweep-old-jobs", "run-a", "completed", 2),
            JobArchiveRules.ArchiveKey("p", started, "sweep-old-jobs", "run-a", "failed", 1),
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Theory]
    [InlineData(1, "a/completed-000001.jsonl")]
    [InlineData(2, "a/completed-000001-attempt2.jsonl")]
    [InlineData(5, "a/completed-000001-attempt5.jsonl")]
    public void A_retried_attempt_writes_its_own_object(int attempt, string expected) =>
        Assert.Equal(expected, JobArchiveRules.KeyForAttempt("a/completed-000001.jsonl", attempt));
}
