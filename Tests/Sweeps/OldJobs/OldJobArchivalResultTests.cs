using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Workflows.Sweeps.OldJobs;
using Temporalio.Converters;

namespace RunsFleet.Tests.Sweeps.OldJobs;

public class OldJobArchivalResultTests
{
    [Fact]
    public void Adds_pages_per_status()
    {
        var total = new OldJobArchivalResult()
            .Add("completed", new OldJobArchivalPageResult { Matched = 25, Deleted = 25, ArchiveKey = "k1" })
            .Add("completed", new OldJobArchivalPageResult { Matched = 3, Deleted = 1, UnprocessedJobIds = ["7", "8"], ArchiveKey = "k2" })
            .Add("failed", new OldJobArchivalPageResult { Matched = 4, Skipped = 1 });

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
        var total = new OldJobArchivalResult();
        for (var i = 0; i < 30; i++)
        {
            total = total.Add("completed", new OldJobArchivalPageResult { Matched = 10, ArchiveKey = $"k{i}", UnprocessedJobIds = [.. Enumerable.Range(0, 10).Select(j => $"{i}-{j}")] });
        }

        Assert.Equal(30, total.ArchiveObjects);
        Assert.Equal(OldJobArchivalResult.MaxReportedKeys, total.ArchiveKeys.Count);
        Assert.Equal(300, total.UnprocessedCount);
        Assert.Equal(OldJobArchivalResult.MaxReportedJobIds, total.UnprocessedJobIds.Count);
    }

    [Fact]
    public void Continuation_survives_the_temporal_payload_converter()
    {
        var input = new OldJobArchivalInput
        {
            DryRun = true,
            Continuation = new OldJobArchivalContinuation
            {
                Settings = new OldJobArchivalSettings { RetentionDays = 7, PageSize = 2, PagesPerRun = 3, ArchiveBucket = "b", ArchivePrefix = "p" },
                StatusIndex = 1,
                Cursor = new JobPageCursor("9", "failed", "2026-11-01T00:00:00Z"),
                NextPage = 4,
                Totals = new OldJobArchivalResult { RunKey = "r", Cutoff = "2026-11-21T02:00:00Z" }.Add("completed", new OldJobArchivalPageResult { Matched = 2 }),
            },
        };
        var converter = DataConverter.Default.PayloadConverter;

        var back = converter.ToValue<OldJobArchivalInput>(converter.ToPayload(input));

        Assert.Equal(input.Continuation.Cursor, back.Continuation!.Cursor);
        Assert.Equal(input.Continuation.Settings, back.Continuation.Settings);
        Assert.Equal(4, back.Continuation.NextPage);
        Assert.Equal("r", back.Continuation.Totals.RunKey);
        Assert.Equal(2, back.Continuation.Totals.MatchedByStatus["completed"]);
    }
}
