using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

/// <summary>The archival page activity against dynalite (jobs table and its GSI) and fauxqs S3.</summary>
[Collection(ArchivalEmulators.Name)]
public sealed class JobArchiveActivitiesTests(DynaliteFixture dynalite, FauxqsFixture fauxqs) : IAsyncLifetime
{
    private const string Cutoff = "2026-11-21T02:00:00Z";
    private static readonly DateTimeOffset SweepStart = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    private readonly RecordingMetricsSink _metrics = new();
    private readonly RecordingDelays _clock = new();
    private AmazonDynamoDBClient _raw = null!;
    private IAmazonDynamoDB _dynamo = null!;
    private CountingDynamoDb _counter = null!;
    private AmazonS3Client _s3 = null!;
    private string _table = string.Empty;

    public async Task InitializeAsync()
    {
        _raw = dynalite.CreateClient();
        (_dynamo, _counter) = CountingDynamoDb.Wrap(_raw);
        _s3 = fauxqs.CreateS3Client();
        _table = await dynalite.CreateJobsTableAsync();
    }

    public Task DisposeAsync()
    {
        _raw.Dispose();
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Deletes_only_terminal_records_older_than_the_cutoff()
    {
        await JobsSeeder.PutAsync(_raw, _table,
        [
            new(1, "completed", "2026-11-21T01:59:59Z"),   // one second older: archived
            new(2, "completed", "2026-11-21T02:00:00Z"),   // exactly at the cutoff: kept
            new(3, "completed", "2026-11-21T02:00:01Z"),   // one second newer: kept
            new(4, "failed", "2026-11-01T00:00:00Z"),
            new(5, "timeout", "2026-11-20T23:59:59Z"),
            new(6, "interrupted", "2026-11-21T01:00:00Z"),
            new(7, "started", "2026-01-01T00:00:00Z"),     // not terminal: never touched
            new(8, "completed", "2026-12-01T00:00:00Z"),
            new(9, "orphaned", "2026-11-20T00:00:00Z"),    // retired by OrphanedJobSweep: archived like any finished job
            new(10, "orphaned", "2026-11-27T00:00:00Z"),   // orphaned recently: kept
            new(11, "success", "2026-11-20T00:00:00Z"),    // runs-fleet's (and the agent's) terminal words
            new(12, "failure", "2026-11-20T00:00:01Z"),
            new(13, "error", "2026-11-20T00:00:02Z"),
            new(14, "cancelled", "2026-11-20T00:00:03Z"),
            new(15, "success", "2026-11-28T00:00:00Z"),    // recent: kept
        ]);

        var pages = await SweepAsync(pageSize: 10, dryRun: false, bucket: null, runKey: "r");

        Assert.Equal(9, pages.Sum(p => p.Page.Deleted));
        Assert.Equal([2, 3, 7, 8, 10, 15], await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal(9, _metrics.Named(JobArchiveActivities.ArchivedMetric).Sum(m => m.Value));
        Assert.All(pages, p => Assert.Null(p.Page.ArchiveKey));
    }

    [Fact]
    public async Task Dry_run_counts_and_writes_or_deletes_nothing()
    {
        var bucket = await fauxqs.CreateBucketAsync("archive");
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 7).Append(new(100, "completed", "2026-11-21T02:00:01Z")));

        var pages = await SweepAsync(pageSize: 3, dryRun: true, bucket: bucket, runKey: "r");

        Assert.Equal(7, pages.Sum(p => p.Page.Matched));
        Assert.Equal(0, pages.Sum(p => p.Page.Deleted));
        Assert.Equal(8, (await JobsSeeder.RemainingAsync(_raw, _table)).Count);
        Assert.Equal(0, _counter.Count("BatchWriteItem"));
        Assert.Empty(await ListKeysAsync(bucket));
        Assert.Empty(_metrics.All);
    }

    [Fact]
    public async Task Pages_through_the_index_with_limit_and_cursor()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 7));

        var pages = (await SweepAsync(pageSize: 3, dryRun: false, bucket: null, runKey: "r"))
            .Where(p => p.Status == "completed").Select(p => p.Page).ToList();

        Assert.Equal([3, 3, 1], pages.Select(p => p.Matched));
        Assert.NotNull(pages[0].NextCursor);
        Assert.Equal("completed", pages[0].NextCursor!.Status);
        Assert.Null(pages[^1].NextCursor);
        Assert.Empty(await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal(3 + JobRecord.ArchivableStatuses.Count - 1, _counter.Count("Query")); // 3 pages of completed + one page per other status
    }

    [Fact]
    public async Task Archives_each_page_as_json_lines_before_deleting_it()
    {
        var bucket = await fauxqs.CreateBucketAsync("archive");
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 5));

        var pages = await SweepAsync(pageSize: 3, dryRun: false, bucket: bucket, runKey: "run-1");

        var keys = await ListKeysAsync(bucket);
        Assert.Equal(
            ["jobs/2026/11/28/sweep-old-jobs/run-1/completed-000001.jsonl", "jobs/2026/11/28/sweep-old-jobs/run-1/completed-000002.jsonl"],
            keys);
        Assert.Equal(keys, pages.Select(p => p.Page.ArchiveKey).OfType<string>());
        var first = await ReadLinesAsync(bucket, keys[0]);
        var second = await ReadLinesAsync(bucket, keys[1]);
        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        var archivedIds = first.Concat(second)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Select(json => (Id: json.GetProperty("job_id").GetInt64(), Status: json.GetProperty("status").GetString()))
            .ToList();
        Assert.Equal([1L, 2, 3, 4, 5], archivedIds.Select(a => a.Id).Order());
        Assert.All(archivedIds, a => Assert.Equal("completed", a.Status));
        Assert.Empty(await JobsSeeder.RemainingAsync(_raw, _table));
    }

    [Fact]
    public async Task A_rerun_writes_new_objects_and_never_overwrites_the_first_archive()
    {
        var bucket = await fauxqs.CreateBucketAsync("archive");
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 2));
        await SweepAsync(pageSize: 10, dryRun: false, bucket: bucket, runKey: "run-a");
        var firstKey = Assert.Single(await ListKeysAsync(bucket));
        var firstContent = await ReadLinesAsync(bucket, firstKey);

        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(10, 3));
        await SweepAsync(pageSize: 10, dryRun: false, bucket: bucket, runKey: "run-b");

        var keys = await ListKeysAsync(bucket);
        Assert.Equal(2, keys.Count);
        Assert.Contains(keys, k => k.Contains("/run-b/", StringComparison.Ordinal));
        Assert.Equal(firstContent, await ReadLinesAsync(bucket, firstKey));
        Assert.Equal(3, (await ReadLinesAsync(bucket, keys.Single(k => k != firstKey))).Count);
    }

    [Fact]
    public async Task A_retried_attempt_writes_its_own_object()
    {
        var bucket = await fauxqs.CreateBucketAsync("archive");
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 2));
        var environment = new ActivityEnvironment { Info = ActivityEnvironment.DefaultInfo with { Attempt = 2 } };

        var page = await environment.RunAsync(() => Activities().ArchiveJobPageAsync(Request("completed", null, 10, false, bucket, "k/completed-000001.jsonl")));

        Assert.Equal("k/completed-000001-attempt2.jsonl", page.ArchiveKey);
        Assert.Equal(["k/completed-000001-attempt2.jsonl"], await ListKeysAsync(bucket));
    }

    [Fact]
    public async Task When_the_archive_cannot_be_written_nothing_is_deleted()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 3));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => Activities().ArchiveJobPageAsync(Request("completed", null, 10, false, "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "k.jsonl"))));

        Assert.Equal("NoSuchBucket", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal([1, 2, 3], await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal(0, _counter.Count("BatchWriteItem"));
    }

    [Fact]
    public async Task Unprocessed_items_are_retried_with_backoff_until_done()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 30));
        // The odd ids of the first group, on their first two attempts (batches run concurrently, so
        // attempts are counted per id rather than by call number).
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _counter.HoldBack((_, jobId) => attempts.AddOrUpdate(jobId, 1, (_, n) => n + 1) <= 2 && long.Parse(jobId) is <= 25 and var id && id % 2 == 1);

        var page = await new ActivityEnvironment().RunAsync(
            () => Activities(firstDelayMs: 100).ArchiveJobPageAsync(Request("completed", null, 100, false, null, null)));

        Assert.Equal(30, page.Deleted);
        Assert.Empty(page.UnprocessedJobIds);
        Assert.Empty(await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal([5, 13, 13, 25], _counter.BatchWriteSizes.Order()); // 25 and 5 at once, then the first's 13 odd ids twice
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], _clock.Delays);
        Assert.Equal(30, _metrics.Named(JobArchiveActivities.ArchivedMetric).Sum(m => m.Value));
    }

    [Fact]
    public async Task Items_still_unprocessed_after_every_attempt_are_reported_and_stay()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 5));
        _counter.HoldBack((_, jobId) => jobId == "3");

        var page = await new ActivityEnvironment().RunAsync(
            () => Activities(maxAttempts: 4, firstDelayMs: 50).ArchiveJobPageAsync(Request("completed", null, 100, false, null, null)));

        Assert.Equal(4, page.Deleted);
        Assert.Equal(["3"], page.UnprocessedJobIds);
        Assert.Equal([3], await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal(4, _counter.Count("BatchWriteItem"));
        Assert.Equal([50, 100, 200], _clock.Delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public async Task A_throttled_batch_write_is_retried_like_unprocessed_items()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 5));
        _counter.FailBatchWrite(call => call == 1
            ? new AmazonDynamoDBException("slow down") { ErrorCode = "ProvisionedThroughputExceededException" }
            : null);

        var page = await new ActivityEnvironment().RunAsync(
            () => Activities(firstDelayMs: 100).ArchiveJobPageAsync(Request("completed", null, 100, false, null, null)));

        Assert.Equal(5, page.Deleted);
        Assert.Empty(await JobsSeeder.RemainingAsync(_raw, _table));
        Assert.Equal(2, _counter.Count("BatchWriteItem"));
        Assert.Equal([TimeSpan.FromMilliseconds(100)], _clock.Delays);
    }

    [Fact]
    public async Task A_permanent_batch_write_error_fails_the_page_with_the_aws_code()
    {
        await JobsSeeder.PutAsync(_raw, _table, OldCompleted(1, 2));
        _counter.FailBatchWrite(_ => new AmazonDynamoDBException("no table") { ErrorCode = "ResourceNotFoundException" });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => Activities().ArchiveJobPageAsync(Request("completed", null, 100, false, null, null))));

        Assert.Equal("ResourceNotFoundException", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal([1, 2], await JobsSeeder.RemainingAsync(_raw, _table));
    }

    [Fact]
    public async Task Settings_come_from_options_unless_the_trigger_overrides_the_retention()
    {
        var activities = Activities(bucket: "runs-fleet-archive");

        var configured = await activities.PlanJobArchiveAsync(null);
        var overridden = await activities.PlanJobArchiveAsync(30);

        Assert.Equal(7, configured.RetentionDays);
        Assert.Equal("runs-fleet-archive", configured.ArchiveBucket);
        Assert.Equal("jobs", configured.ArchivePrefix);
        Assert.Equal(30, overridden.RetentionDays);
        Assert.Null((await Activities(bucket: "  ").PlanJobArchiveAsync(null)).ArchiveBucket);
    }

    internal static IEnumerable<SeedJob> OldCompleted(int first, int count) =>
        Enumerable.Range(first, count).Select(i => new SeedJob(i, "completed", OldTimestamp(i)));

    /// <summary>A completed_at before the cutoff that grows with <paramref name="i"/> (index order = id order).</summary>
    internal static string OldTimestamp(int i) => $"2026-11-01T{i / 3600:D2}:{i / 60 % 60:D2}:{i % 60:D2}Z";

    private JobArchiveActivities Activities(int maxAttempts = 8, int firstDelayMs = 1, string? bucket = null) => new(
        _dynamo,
        _s3,
        Options.Create(new JobsTableOptions { TableName = _table }),
        Options.Create(new JobArchiveOptions { ArchiveBucket = bucket, ArchivePrefix = "jobs", DeleteMaxAttempts = maxAttempts, DeleteRetryDelayMilliseconds = firstDelayMs }),
        _metrics,
        _clock,
        NullLogger<JobArchiveActivities>.Instance);

    private static JobArchivePageRequest Request(string status, JobPageCursor? cursor, int pageSize, bool dryRun, string? bucket, string? key) => new()
    {
        Status = status,
        Cutoff = Cutoff,
        Cursor = cursor,
        PageSize = pageSize,
        DryRun = dryRun,
        ArchiveBucket = bucket,
        ArchiveKey = key,
    };

    // Walks every status and page the way JobArchiveWorkflow does.
    private async Task<List<(string Status, JobArchivePageResult Page)>> SweepAsync(int pageSize, bool dryRun, string? bucket, string runKey)
    {
        var activities = Activities();
        var environment = new ActivityEnvironment();
        var pages = new List<(string, JobArchivePageResult)>();
        foreach (var status in JobRecord.ArchivableStatuses)
        {
            JobPageCursor? cursor = null;
            var number = 1;
            do
            {
                var key = bucket is null || dryRun ? null : JobArchiveRules.ArchiveKey("jobs", SweepStart, "sweep-old-jobs", runKey, status, number);
                var request = Request(status, cursor, pageSize, dryRun, bucket, key);
                var page = await environment.RunAsync(() => activities.ArchiveJobPageAsync(request));
                pages.Add((status, page));
                cursor = page.NextCursor;
                number++;
            }
            while (cursor is not null);
        }

        return pages;
    }

    private async Task<List<string>> ListKeysAsync(string bucket)
    {
        var listing = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. (listing.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal)];
    }

    private async Task<List<string>> ReadLinesAsync(string bucket, string key)
    {
        using var response = await _s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        var text = await reader.ReadToEndAsync();
        Assert.EndsWith("\n", text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
