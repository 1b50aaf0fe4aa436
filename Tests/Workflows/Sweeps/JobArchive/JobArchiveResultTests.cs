using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.JobArchive;
using Temporalio.Converters;

namespace RunsFleet.Tests.Workflows.Sweeps.JobArchive;

public class JobArchiveResultTests
{
    [Fact]
    public void Adds_pages_per_status()
    {
        var total = new JobArchiveResult()
            .Add("completed", new JobArchivePageResult { Matched = 25, Deleted = 25, ArchiveKey = "k1" })
            .Add("completed", new JobArchivePageResult { Matched = 3, Deleted = 1, UnprocessedJobIds = ["7", "8"], ArchiveKey = "k2" })
            .Add("failed", new JobArchivePageResult { Matched = 4, Skipped = 1 });

        Assert.Equal(3, total.Pages);
        Assert.Equal(32, total.RecordsMatched);
        Assert.Equal(26, total.RecordsDeleted);
        Assert.Equal(1, total.RecordsSkipped);
        Assert.Equal(2, total.ArchiveObjects);
        Assert.Equal(["k1", "k2"], total.ArchiveKeys);
        Assert.Equal(2, total.UnprocessedCount);
        Assert.Equal(["7", "8"], total.UnprocessedJobIds);
        Assert.Equal(28, total.MatchedByStatus["completed"]);
        Assert.Equal(4, total.MatchedByStatus["failed"]);
    }

    [Fact]
    public void Caps_lists_but_keeps_counting()
    {
        var total = new JobArchiveResult();
        for (var i = 0; i < 30; i++)
        {
            total = total.Add("completed", new JobArchivePageResult { Matched = 10, ArchiveKey = $"k{i}", UnprocessedJobIds = [.. Enumerable.Range(0, 10).Select(j => $"{i}-{j}")] });
        }

        Assert.Equal(30, total.ArchiveObjects);
        Assert.Equal(JobArchiveResult.MaxReportedKeys, total.ArchiveKeys.Count);
        Assert.Equal(300, total.UnprocessedCount);
        Assert.Equal(JobArchiveResult.MaxReportedJobIds, total.UnprocessedJobIds.Count);
    }

    [Fact]
    public void Continuation_survives_the_temporal_payload_converter()
    {
        var input = new JobArchiveInput
        {
            DryRun = true,
            Continuation = new JobArchiveContinuation
            {
                Settings = new JobArchivePlan { RetentionDays = 7, PageSize = 2, PagesPerRun = 3, ArchiveBucket = "b", ArchivePrefix = "p" },
                StatusIndex = 1,
                Cursor = new JobPageCursor("9", "failed", "2026-11-01T00:00:00Z"),
                NextPage = 4,
                Totals = new JobArchiveResult { RunKey = "r", Cutoff = "2026-11-21T02:00:00Z" }.Add("completed", new JobArchivePageResult { Matched = 2 }),
            },
        };
        var converter = DataConverter.Default.PayloadConverter;

        var back = converter.ToValue<JobArchiveInput>(converter.ToPayload(input));

        Assert.Equal(input.Continuation.Cursor, back.Continuation!.Cursor);
        Assert.Equal(input.Continuation.Settings, back.Continuation.Settings);
        Assert.Equal(4, back.Continuation.NextPage);
        Assert.Equal("r", back.Continuation.Totals.RunKey);
        Assert.Equal(2, back.Continuation.Totals.MatchedByStatus["completed"]);
    }
}
