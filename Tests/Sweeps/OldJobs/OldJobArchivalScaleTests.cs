using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Sweeps.OldJobs;

/// <summary>
/// A few thousand records archived page by page as the workflow does: Query, PutObject and
/// BatchWriteItem requests stay at the minimum the page size and the 25-item batch limit allow.
/// </summary>
[Collection(ArchivalEmulators.Name)]
public sealed class OldJobArchivalScaleTests(DynaliteFixture dynalite, FauxqsFixture fauxqs)
{
    private const int PageSize = 100;

    [Fact]
    public async Task Three_thousand_records_take_the_minimum_of_queries_objects_and_batch_writes()
    {
        using var raw = dynalite.CreateClient();
        using var s3 = fauxqs.CreateS3Client();
        var (dynamo, counter) = CountingDynamoDb.Wrap(raw);
        var table = await dynalite.CreateJobsTableAsync();
        var bucket = await fauxqs.CreateBucketAsync("archive-scale");
        var seeded = new List<SeedJob>();
        seeded.AddRange(Enumerable.Range(1, 2400).Select(i => new SeedJob(i, "completed", OldJobArchivalActivitiesTests.OldTimestamp(i))));
        seeded.AddRange(Enumerable.Range(5001, 310).Select(i => new SeedJob(i, "failed", OldJobArchivalActivitiesTests.OldTimestamp(i))));
        seeded.AddRange(Enumerable.Range(9001, 290).Select(i => new SeedJob(i, "completed", "2026-11-27T00:00:00Z"))); // newer than the cutoff
        await JobsSeeder.PutAsync(raw, table, seeded);
        var metrics = new RecordingMetricsSink();
        var activities = new OldJobArchivalActivities(
            dynamo,
            s3,
            Options.Create(new JobsTableOptions { TableName = table }),
            Options.Create(new OldJobArchivalOptions { ArchiveBucket = bucket, ArchivePrefix = "scale" }),
            metrics,
            TimeProvider.System,
            NullLogger<OldJobArchivalActivities>.Instance);

        var archived = 0;
        var environment = new ActivityEnvironment();
        foreach (var status in JobRecord.TerminalStatuses)
        {
            JobPageCursor? cursor = null;
            var number = 1;
            do
            {
                var request = new OldJobArchivalPageRequest
                {
                    Status = status,
                    Cutoff = "2026-11-21T02:00:00Z",
                    Cursor = cursor,
                    PageSize = PageSize,
                    ArchiveBucket = bucket,
                    ArchiveKey = OldJobArchivalRules.ArchiveKey("scale", new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero), "sweep-old-jobs", "run", status, number++),
                };
                var page = await environment.RunAsync(() => activities.ArchiveJobPageAsync(request));
                archived += page.Deleted;
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        Assert.Equal(2710, archived);
        Assert.Equal(290, (await JobsSeeder.RemainingAsync(raw, table)).Count);
        Assert.Equal(2710, metrics.Named(OldJobArchivalActivities.ArchivedMetric).Sum(m => m.Value));

        // Minimum queries: ceil(2400/100) + ceil(310/100) + 1 + 1 = 30. DynamoDB may answer a full
        // last page with a LastEvaluatedKey, costing one empty page per status at most.
        var minimumQueries = 24 + 4 + 1 + 1;
        Assert.InRange(counter.Count("Query"), minimumQueries, minimumQueries + JobRecord.TerminalStatuses.Count);

        // 28 non-empty pages (24 of completed, 4 of failed): one archive object each.
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 });
        Assert.Equal(28, listing.S3Objects.Count);

        // Every page of 100 takes 4 full batches; the last failed page (10 records) takes one.
        Assert.Equal((24 * 4) + (3 * 4) + 1, counter.Count("BatchWriteItem"));
        Assert.All(counter.BatchWriteSizes, size => Assert.InRange(size, 1, 25));
    }
}
