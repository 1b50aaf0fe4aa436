using System.Globalization;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Tests.Support;
using Temporalio.Testing;
using Xunit.Abstractions;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

/// <summary>
/// A few thousand records archived page by page as the workflow does: Query, PutObject and
/// BatchWriteItem requests stay at the minimum the page size and the 25-item batch limit allow.
/// </summary>
[Collection(ArchivalEmulators.Name)]
public sealed class JobArchiveScaleTests(DynaliteFixture dynalite, FauxqsFixture fauxqs, ITestOutputHelper output)
{
    private const int PageSize = 100;

    [Fact]
    public async Task Three_thousand_records_take_the_minimum_of_queries_objects_and_batch_writes()
    {
        using var raw = dynalite.CreateClient();
        using var s3 = fauxqs.CreateS3Client();
        var (dynamo, counter) = CountingDynamoDb.Wrap(raw);
        counter.BatchWriteLatency = TimeSpan.FromMilliseconds(10);
        var table = await dynalite.CreateJobsTableAsync();
        var bucket = await fauxqs.CreateBucketAsync("archive-scale");
        var seeded = new List<SeedJob>();
        seeded.AddRange(Enumerable.Range(1, 2400).Select(i => new SeedJob(i, "completed", JobArchiveActivitiesTests.OldTimestamp(i))));
        seeded.AddRange(Enumerable.Range(5001, 310).Select(i => new SeedJob(i, "failed", JobArchiveActivitiesTests.OldTimestamp(i))));
        seeded.AddRange(Enumerable.Range(9001, 290).Select(i => new SeedJob(i, "completed", string.Create(CultureInfo.InvariantCulture, $"2026-11-27T00:{i / 60 % 60:D2}:{i % 60:D2}Z")))); // newer than the cutoff; distinct index keys (see DynaliteFixture)
        await JobsSeeder.PutAsync(raw, table, seeded);
        var metrics = new RecordingMetricsSink();
        var activities = new JobArchiveActivities(
            dynamo,
            s3,
            Options.Create(new JobsTableOptions { TableName = table }),
            Options.Create(new JobArchiveOptions { ArchiveBucket = bucket, ArchivePrefix = "scale" }),
            metrics,
            TimeProvider.System,
            NullLogger<JobArchiveActivities>.Instance);

        var archived = 0;
        var environment = new ActivityEnvironment();
        foreach (var status in JobRecord.ArchivableStatuses)
        {
            JobPageCursor? cursor = null;
            var number = 1;
            do
            {
                var request = new JobArchivePageRequest
                {
                    Status = status,
                    Cutoff = "2026-11-21T02:00:00Z",
                    Cursor = cursor,
                    PageSize = PageSize,
                    ArchiveBucket = bucket,
                    ArchiveKey = JobArchiveRules.ArchiveKey("scale", new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero), "sweep-old-jobs", "run", status, number++),
                };
                var page = await environment.RunAsync(() => activities.ArchiveJobPageAsync(request));
                archived += page.Deleted;
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        Assert.Equal(2710, archived);
        Assert.Equal(290, (await JobsSeeder.RemainingAsync(raw, table)).Count);
        Assert.Equal(2710, metrics.Named(JobArchiveActivities.ArchivedMetric).Sum(m => m.Value));

        // Minimum queries: ceil(2400/100) + ceil(310/100) + 1 + 1 = 30. DynamoDB may answer a full
        // last page with a LastEvaluatedKey, costing one empty page per status at most.
        var minimumQueries = 24 + 4 + 1 + 1;
        Assert.InRange(counter.Count("Query"), minimumQueries, minimumQueries + JobRecord.ArchivableStatuses.Count);

        // 28 non-empty pages (24 of completed, 4 of failed): one archive object each.
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 });
        Assert.Equal(28, listing.S3Objects.Count);

        // Every page of 100 takes 4 full batches; the last failed page (10 records) takes one.
        Assert.Equal((24 * 4) + (3 * 4) + 1, counter.Count("BatchWriteItem"));
        Assert.All(counter.BatchWriteSizes, size => Assert.InRange(size, 1, 25));
        Assert.Equal(JobRecordBatchDeleter.BatchesInFlight, counter.MaxBatchWritesInFlight);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public async Task Batch_writes_are_the_minimum_and_overlap_three_at_a_time(int records)
    {
        using var raw = dynalite.CreateClient();
        using var s3 = fauxqs.CreateS3Client();
        var (dynamo, counter) = CountingDynamoDb.Wrap(raw);
        counter.BatchWriteLatency = TimeSpan.FromMilliseconds(5);
        var table = await dynalite.CreateJobsTableAsync();
        var bucket = await fauxqs.CreateBucketAsync($"archive-scale-{records}");
        await JobsSeeder.PutAsync(raw, table, [.. Enumerable.Range(1, records).Select(i => new SeedJob(i, "completed", JobArchiveActivitiesTests.OldTimestamp(i)))]);
        var activities = new JobArchiveActivities(
            dynamo,
            s3,
            Options.Create(new JobsTableOptions { TableName = table }),
            Options.Create(new JobArchiveOptions { ArchiveBucket = bucket, ArchivePrefix = "scale" }),
            new RecordingMetricsSink(),
            TimeProvider.System,
            NullLogger<JobArchiveActivities>.Instance);
        var pageSize = new JobArchiveOptions().PageSize;

        var archived = 0;
        var environment = new ActivityEnvironment();
        JobPageCursor? cursor = null;
        var number = 1;
        do
        {
            var request = new JobArchivePageRequest
            {
                Status = "completed",
                Cutoff = "2026-11-21T02:00:00Z",
                Cursor = cursor,
                PageSize = pageSize,
                ArchiveBucket = bucket,
                ArchiveKey = JobArchiveRules.ArchiveKey("scale", new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero), "sweep-old-jobs", "run", "completed", number++),
            };
            var page = await environment.RunAsync(() => activities.ArchiveJobPageAsync(request));
            archived += page.Deleted;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var minimumWrites = (records + 24) / 25;
        var minimumQueries = (records + pageSize - 1) / pageSize;
        output.WriteLine(
            $"{records} records: BatchWriteItem {counter.Count("BatchWriteItem")} (minimum {minimumWrites}, at most {counter.MaxBatchWritesInFlight} in flight), " +
            $"Query {counter.Count("Query")} (minimum {minimumQueries})");
        Assert.Equal(records, archived);
        Assert.Empty(await JobsSeeder.RemainingAsync(raw, table));
        Assert.Equal(minimumWrites, counter.Count("BatchWriteItem"));
        Assert.Equal(JobRecordBatchDeleter.BatchesInFlight, counter.MaxBatchWritesInFlight);
        Assert.InRange(counter.Count("Query"), minimumQueries, minimumQueries + 1);
    }
}
