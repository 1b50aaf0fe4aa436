using RunsFleet.Activities.Common;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps.JobArchive;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.Sweeps.JobArchive;

/// <summary>OldJobArchival branches replayed from synthetic histories (no server).</summary>
public class JobArchiveWorkflowReplayTests
{
    internal const string Settings = "GetJobArchivalSettings";
    internal const string Page = "ArchiveJobPage";
    private const string WorkflowId = "sweep-old-jobs";
    internal static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Dry_run_pages_through_every_terminal_status_and_writes_nothing()
    {
        var input = new JobArchiveInput { DryRun = true };
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(bucket: "archive-bucket"))
            .ActivityCompleted(Page, PageOf(matched: 3, cursor: Cursor("completed", 3), dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 1, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 2, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 0, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 0, dryRun: true))
            .ActivityCompleted(Page, PageOf(matched: 0, dryRun: true))
            .WorkflowCompleted(new JobArchiveResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Settings, Page, Page, Page, Page, Page, Page], replay.ActivityTypes);
        var requests = Requests(replay);
        Assert.Equal(["completed", "completed", "failed", "timeout", "interrupted", "orphaned"], requests.Select(r => r.Status));
        Assert.All(requests, r => Assert.True(r.DryRun));
        Assert.All(requests, r => Assert.Null(r.ArchiveBucket));
        Assert.All(requests, r => Assert.Null(r.ArchiveKey));
        Assert.Equal([null, Cursor("completed", 3), null, null, null, null], requests.Select(r => r.Cursor));
        Assert.All(requests, r => Assert.Equal("2026-11-21T02:00:00Z", r.Cutoff)); // 7 days before the first task
        var result = replay.Result<JobArchiveResult>();
        Assert.True(result.DryRun);
        Assert.Equal(6, result.RecordsMatched);
        Assert.Equal(0, result.RecordsDeleted);
        Assert.Equal(0, result.ArchiveObjects);
        Assert.Null(result.ArchiveBucket);
        Assert.Equal(4, result.MatchedByStatus["completed"]);
    }

    [Fact]
    public async Task With_a_bucket_every_page_gets_its_own_archive_key_under_the_run_key()
    {
        var input = new JobArchiveInput { RetentionDays = 30 };
        var builder = Builder(input);
        var history = builder
            .ActivityCompleted(Settings, SettingsOf(bucket: "archive-bucket", retention: 30))
            .ActivityCompleted(Page, PageOf(matched: 2, cursor: Cursor("completed", 2), key: "k1"))
            .ActivityCompleted(Page, PageOf(matched: 1, key: "k2"))
            .ActivityCompleted(Page, PageOf(matched: 1, key: "k3"))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 2, key: "k4"))
            .WorkflowCompleted(new JobArchiveResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        Assert.Equal(30, replay.Activities[0].Arg<int?>());
        var requests = Requests(replay);
        var runKey = builder.RunId;
        Assert.Equal(
            [
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/completed-000001.jsonl",
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/completed-000002.jsonl",
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/failed-000001.jsonl",
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/timeout-000001.jsonl",
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/interrupted-000001.jsonl",
                $"jobs/2026/11/28/{WorkflowId}/{runKey}/orphaned-000001.jsonl",
            ],
            requests.Select(r => r.ArchiveKey));
        Assert.All(requests, r => Assert.Equal("archive-bucket", r.ArchiveBucket));
        Assert.All(requests, r => Assert.Equal("2026-10-29T02:00:00Z", r.Cutoff));
        var result = replay.Result<JobArchiveResult>();
        Assert.Equal(runKey, result.RunKey);
        Assert.Equal(4, result.ArchiveObjects);
        Assert.Equal(["k1", "k2", "k3", "k4"], result.ArchiveKeys);
        Assert.Equal(6, result.RecordsDeleted);
        Assert.Equal(2, result.MatchedByStatus["orphaned"]);
    }

    [Fact]
    public async Task Without_a_bucket_pages_are_deleted_without_archive()
    {
        var history = Builder(new JobArchiveInput())
            .ActivityCompleted(Settings, SettingsOf(bucket: null))
            .ActivityCompleted(Page, PageOf(matched: 5))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .WorkflowCompleted(new JobArchiveResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        var requests = Requests(replay);
        Assert.All(requests, r => Assert.False(r.DryRun));
        Assert.All(requests, r => Assert.Null(r.ArchiveBucket));
        Assert.All(requests, r => Assert.Null(r.ArchiveKey));
        Assert.Equal(5, replay.Result<JobArchiveResult>().RecordsDeleted);
    }

    [Fact]
    public async Task Continues_as_new_mid_status_carrying_cursor_page_number_cutoff_and_run_key()
    {
        var input = new JobArchiveInput();
        var builder = Builder(input);
        var history = builder
            .ActivityCompleted(Settings, SettingsOf(bucket: "archive-bucket", pagesPerRun: 2))
            .ActivityCompleted(Page, PageOf(matched: 2, cursor: Cursor("completed", 2), key: "k1"))
            .ActivityCompleted(Page, PageOf(matched: 2, cursor: Cursor("completed", 4), key: "k2"))
            .ContinuedAsNew(SweepWorkflowTypes.OldJobArchival, input)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        var next = replay.ContinuedAsNew!.Arg<JobArchiveInput>().Continuation!;
        Assert.Equal(0, next.StatusIndex);
        Assert.Equal(Cursor("completed", 4), next.Cursor);
        Assert.Equal(3, next.NextPage);
        Assert.Equal("2026-11-21T02:00:00Z", next.Totals.Cutoff);
        Assert.Equal(builder.RunId, next.Totals.RunKey);
        Assert.Equal(4, next.Totals.RecordsDeleted);
        Assert.Equal(SettingsOf(bucket: "archive-bucket", pagesPerRun: 2), next.Settings);
    }

    [Fact]
    public async Task Continues_as_new_at_a_status_boundary_with_the_next_status()
    {
        var input = new JobArchiveInput();
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(bucket: null, pagesPerRun: 2))
            .ActivityCompleted(Page, PageOf(matched: 2))
            .ActivityCompleted(Page, PageOf(matched: 1))
            .ContinuedAsNew(SweepWorkflowTypes.OldJobArchival, input)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        var next = replay.ContinuedAsNew!.Arg<JobArchiveInput>().Continuation!;
        Assert.Equal(2, next.StatusIndex); // completed and failed are done; timeout is next
        Assert.Null(next.Cursor);
        Assert.Equal(1, next.NextPage);
    }

    [Fact]
    public async Task A_continued_run_keeps_the_first_runs_cutoff_run_key_and_archive_date()
    {
        var firstStart = new DateTimeOffset(2026, 11, 27, 23, 59, 0, TimeSpan.Zero);
        var input = new JobArchiveInput
        {
            Continuation = new JobArchiveContinuation
            {
                Settings = SettingsOf(bucket: "archive-bucket", pagesPerRun: 5),
                StatusIndex = 2,
                Cursor = Cursor("timeout", 9),
                NextPage = 4,
                Totals = new JobArchiveResult
                {
                    Cutoff = "2026-11-20T23:59:00Z",
                    StartedAt = firstStart,
                    RunKey = "first-run",
                    RetentionDays = 7,
                    Pages = 10,
                    RecordsDeleted = 900,
                    RecordsMatched = 900,
                },
            },
        };
        var history = Builder(input)
            .ActivityCompleted(Page, PageOf(matched: 5, key: "k"))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .ActivityCompleted(Page, PageOf(matched: 0))
            .WorkflowCompleted(new JobArchiveResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Page, Page, Page], replay.ActivityTypes);
        var requests = Requests(replay);
        Assert.Equal(["timeout", "interrupted", "orphaned"], requests.Select(r => r.Status));
        Assert.Equal(Cursor("timeout", 9), requests[0].Cursor);
        Assert.All(requests, r => Assert.Equal("2026-11-20T23:59:00Z", r.Cutoff));
        Assert.Equal($"jobs/2026/11/27/{WorkflowId}/first-run/timeout-000004.jsonl", requests[0].ArchiveKey);
        Assert.Equal($"jobs/2026/11/27/{WorkflowId}/first-run/interrupted-000001.jsonl", requests[1].ArchiveKey);
        var result = replay.Result<JobArchiveResult>();
        Assert.Equal(2, result.Runs);
        Assert.Equal(13, result.Pages);
        Assert.Equal(905, result.RecordsDeleted);
        Assert.Equal("first-run", result.RunKey);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4000)]
    public async Task Rejects_an_invalid_retention_before_touching_anything(int days)
    {
        var history = Builder(new JobArchiveInput { RetentionDays = days })
            .WorkflowFailed("retention_days must be between", "InvalidInput", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history)).EnsureReplayed();

        Assert.Empty(replay.Activities);
        Assert.Equal(FailureTypes.InvalidInput, Assert.IsType<ApplicationFailureException>(replay.WorkflowException).ErrorType);
    }

    [Fact]
    public async Task A_history_with_one_page_too_many_before_continue_as_new_is_nondeterministic()
    {
        var input = new JobArchiveInput();
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(bucket: null, pagesPerRun: 1))
            .ActivityCompleted(Page, PageOf(matched: 2, cursor: Cursor("completed", 2)))
            .ActivityCompleted(Page, PageOf(matched: 2))
            .ContinuedAsNew(SweepWorkflowTypes.OldJobArchival, input)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobArchiveWorkflow>(history);

        Assert.True(replay.IsNondeterministic);
    }

    internal static HistoryBuilder Builder(JobArchiveInput input) =>
        new(SweepWorkflowTypes.OldJobArchival, input, workflowId: WorkflowId, startTime: Start);

    private static List<JobArchivePageRequest> Requests(ReplayResult replay) =>
        [.. replay.Activities.Where(a => a.Type == Page).Select(a => a.Arg<JobArchivePageRequest>())];

    internal static JobArchivePlan SettingsOf(string? bucket, int pagesPerRun = 10, int retention = 7) => new()
    {
        RetentionDays = retention,
        PageSize = 2,
        PagesPerRun = pagesPerRun,
        ArchiveBucket = bucket,
        ArchivePrefix = "jobs",
    };

    internal static JobPageCursor Cursor(string status, int jobId) => new(jobId.ToString(), status, "2026-11-01T00:00:00Z");

    // What the activity returns; in a dry run it deletes nothing.
    internal static JobArchivePageResult PageOf(int matched, JobPageCursor? cursor = null, string? key = null, bool dryRun = false) => new()
    {
        Matched = matched,
        Deleted = dryRun ? 0 : matched,
        ArchiveKey = key,
        NextCursor = cursor,
    };
}
