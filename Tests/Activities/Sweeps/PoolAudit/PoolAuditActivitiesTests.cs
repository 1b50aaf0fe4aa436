using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.PoolAudit;

public class PoolAuditActivitiesTests(DynaliteFixture dynalite, FauxqsFixture fauxqs) : IClassFixture<DynaliteFixture>, IClassFixture<FauxqsFixture>
{
    private static readonly DateTimeOffset AuditTime = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reads_every_pool_page_by_page()
    {
        var pools = await dynalite.CreatePoolsTableAsync();
        using (var seed = dynalite.CreateClient())
        {
            for (var i = 0; i < 25; i++)
            {
                await seed.PutItemAsync(pools, Pool($"pool-{i:D2}", "m5.large", 2, 1));
            }

            await seed.PutItemAsync(pools, new Dictionary<string, AttributeValue> { [PoolsTable.PoolName] = new() { S = "bare" } });
        }

        var counter = new CountingHttpClientFactory();
        await using var ec2 = new FakeEc2Server();
        using var s3 = fauxqs.CreateS3Client();
        var activities = Activities(ec2, s3, counter, new PoolAuditOptions { PoolsTableName = pools }, "unused");
        var env = new ActivityEnvironment();

        var read = new List<PoolDefinition>();
        string? cursor = null;
        do
        {
            var page = await env.RunAsync(() => activities.ReadPoolsPageAsync(new PoolsPageRequest(cursor, 10)));
            Assert.True(page.Pools.Count <= 10);
            read.AddRange(page.Pools);
            cursor = page.LastPool;
        }
        while (cursor is not null);

        Assert.Equal(26, read.Count);
        Assert.Equal(26, read.Select(p => p.Name).Distinct().Count());
        Assert.Contains(new PoolDefinition("pool-07", "m5.large", 2, 1), read);
        Assert.Contains(new PoolDefinition("bare", null, null, null), read);
        Assert.Equal(3, counter.Count("Scan"));
    }

    [Fact]
    public async Task Counts_running_stopped_idle_and_assigned_per_pool_with_uptime()
    {
        var jobs = await dynalite.CreateJobsTableAsync();
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-a-busy", launchTime: AuditTime.AddHours(-2), tags: PoolTag("a"));
        ec2.AddInstance("i-a-idle", launchTime: AuditTime.AddHours(-3), tags: PoolTag("a"));
        ec2.AddInstance("i-a-stopped", state: Ec2States.Stopped, launchTime: AuditTime.AddDays(-3), tags: PoolTag("a"));
        ec2.AddInstance("i-a-gone", state: Ec2States.Terminated, launchTime: AuditTime.AddHours(-1), tags: PoolTag("a"));
        ec2.AddInstance("i-b-odd", launchTime: AuditTime.AddHours(-1), tags: PoolTag("b"));
        ec2.AddInstance("i-stray", launchTime: AuditTime.AddHours(-1), tags: PoolTag("deleted-pool"));
        ec2.AddInstance("i-no-pool", launchTime: AuditTime.AddHours(-1));
        using (var seed = dynalite.CreateClient())
        {
            await JobsTableSeed.PutJobsAsync(seed, jobs, [(1, "i-a-busy", "running"), (2, "i-a-idle", "completed"), (3, "i-b-odd", null)]);
        }

        var counter = new CountingHttpClientFactory();
        using var s3 = fauxqs.CreateS3Client();
        var activities = Activities(ec2, s3, counter, new PoolAuditOptions(), jobs);

        var page = await new ActivityEnvironment().RunAsync(
            () => activities.CountPoolInstancesPageAsync(new PoolInstancesPageRequest(null, AuditTime, 1000, ["a", "b", "c"])));

        Assert.Null(page.NextToken);
        Assert.Equal(5, page.Scanned);
        Assert.Equal(1, page.Untracked);
        Assert.Equal(
            // i-b-odd's record has no status, so the status index does not hold it: idle.
            [
                new PoolTally("a", 2, 1, 1, 1, 0, 5.0) { RunningTypes = [new("t3.micro", 2, 5.0)] },
                new PoolTally("b", 1, 0, 0, 1, 0, 1.0) { RunningTypes = [new("t3.micro", 1, 1.0)] },
            ],
            page.Tallies.OrderBy(t => t.Pool, StringComparer.Ordinal));
        // The stopped instance's volumes are read after the page (in batches of 200 across pages).
        Assert.Equal([new StoppedInstance("i-a-stopped", "a")], page.Stopped);
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count, counter.Count("Query"));
        Assert.Equal(1, ec2.Count("DescribeInstances"));
    }

    [Fact]
    public async Task Counting_3000_pool_instances_takes_3_pages_and_one_active_jobs_read()
    {
        var jobs = await dynalite.CreateJobsTableAsync();
        await using var ec2 = new FakeEc2Server();
        for (var i = 0; i < 3000; i++)
        {
            ec2.AddInstance($"i-{i:D17}", state: i % 3 == 0 ? Ec2States.Running : Ec2States.Stopped, launchTime: AuditTime.AddHours(-1), tags: PoolTag(i % 2 == 0 ? "even" : "odd"));
        }

        var counter = new CountingHttpClientFactory();
        using var s3 = fauxqs.CreateS3Client();
        var activities = Activities(ec2, s3, counter, new PoolAuditOptions(), jobs);
        var env = new ActivityEnvironment();
        IReadOnlyList<PoolTally> tallies = [];
        string? token = null;
        do
        {
            var page = await env.RunAsync(() => activities.CountPoolInstancesPageAsync(new PoolInstancesPageRequest(token, AuditTime, 1000, ["even", "odd"])));
            tallies = PoolTally.Merge(tallies, page.Tallies);
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal(3, ec2.Count("DescribeInstances"));
        // The active jobs are read once for the audit, not once per running instance.
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count, counter.Count("Query"));
        Assert.Equal(1000, tallies.Sum(t => t.Running));
        Assert.Equal(2000, tallies.Sum(t => t.Stopped));
        Assert.Equal(1000, tallies.Sum(t => t.Idle));
        Assert.Equal(1000.0, tallies.Sum(t => t.UptimeHours), 6);
    }

    [Fact]
    public async Task Report_is_priced_rendered_and_uploaded_under_a_per_run_key()
    {
        var bucket = await fauxqs.CreateBucketAsync("pool-reports");
        await using var ec2 = new FakeEc2Server();
        using var s3 = fauxqs.CreateS3Client();
        var options = new PoolAuditOptions { ReportBucket = bucket, ReportPrefix = "audits/", HourlyPrices = new() { ["x9.custom"] = 2m }, EbsPricePerGbMonth = 0.10m };
        using var logs = new LogCapture();
        var activities = Activities(ec2, s3, new CountingHttpClientFactory(), options, "unused", logger: logs.Logger<PoolAuditActivities>());
        var env = new ActivityEnvironment();

        var report = await env.RunAsync(() => activities.BuildPoolAuditReportAsync(new PoolAuditReportRequest(
            AuditTime,
            [new PoolDefinition("custom", "x9.custom", 1, 1), new PoolDefinition("empty", "m5.large", 0, 0)],
            [PoolCostsTests.Tally("custom", "x9.custom", 1, 1, 1, 0, 3, stoppedGiB: 730)],
            0)));
        Assert.Equal(["custom", "empty"], report.Rows.Select(r => r.Pool));
        Assert.Equal(6m, report.Rows[0].ComputeCost);
        Assert.Equal(0.1m, report.Rows[0].IdleCostPerHour);
        Assert.Contains("| custom | x9.custom | 1 x9.custom |", report.Markdown, StringComparison.Ordinal);
        Assert.Equal(report.Markdown, logs.Single(Microsoft.Extensions.Logging.LogLevel.Information, "Pool audit report").GetStructuredStateValue("Report"));

        var first = await env.RunAsync(() => activities.UploadPoolAuditReportAsync(new PoolAuditUploadRequest(AuditTime, "sweep-pool-audit", "run-1", report.Markdown)));
        var second = await env.RunAsync(() => activities.UploadPoolAuditReportAsync(new PoolAuditUploadRequest(AuditTime, "sweep-pool-audit", "run-2", "rerun")));

        Assert.Equal("audits/2026/11/20/pool-audit-090000-sweep-pool-audit-run-1.md", first);
        Assert.NotEqual(first, second);
        using var stored = await s3.GetObjectAsync(bucket, first);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal(report.Markdown, await reader.ReadToEndAsync());
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = "audits/2026/11/20/" });
        Assert.Equal(2, listed.S3Objects.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task One_activity_builds_uploads_and_publishes_10000_pools_and_returns_only_key_and_totals(bool dryRun)
    {
        var bucket = await fauxqs.CreateBucketAsync($"pool-reports-{(dryRun ? "dry" : "real")}");
        await using var ec2 = new FakeEc2Server();
        using var s3 = fauxqs.CreateS3Client();
        var sink = new RecordingMetricsSink();
        var activities = Activities(ec2, s3, new CountingHttpClientFactory(), new PoolAuditOptions { ReportBucket = bucket }, "unused", sink);
        var pools = Enumerable.Range(0, 10_000).Select(i => new PoolDefinition($"pool-{i:D5}", i % 2 == 0 ? "m5.large" : null, 2, 1)).ToList();
        var tallies = pools
            .Select(p => new PoolTally(p.Name, 2, 1, 1, 1, 0, 4) { RunningTypes = [new("c7g.large", 1, 2), new("m5.large", 1, 2)], StoppedVolumeGiB = 30 })
            .ToList();

        var summary = await new ActivityEnvironment().RunAsync(() => activities.PublishPoolAuditReportAsync(
            new PoolAuditPublishRequest(AuditTime, pools, tallies, 7, "sweep-pool-audit", "run-1", dryRun)));

        Assert.Equal((10_000, 20_000, 7), (summary.Totals.Pools, summary.Totals.Running, summary.UntrackedInstances));
        var payload = Temporalio.Converters.DataConverter.Default.PayloadConverter.ToPayload(summary).Data.Length;
        Assert.InRange(payload, 1, 1024);
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket });
        if (dryRun)
        {
            Assert.Null(summary.ReportKey);
            Assert.Equal(0, summary.MetricsPublished);
            Assert.Empty(sink.All);
            Assert.Empty(listed.S3Objects ?? []);
        }
        else
        {
            Assert.Equal("pool-audit/2026/11/20/pool-audit-090000-sweep-pool-audit-run-1.md", summary.ReportKey);
            Assert.Equal(30_000, summary.MetricsPublished);
            Assert.Equal(
                [PoolAuditRowsDocument.KeyFor(summary.ReportKey!), summary.ReportKey],
                listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
            var rows = await ReadRowsAsync(s3, bucket, summary.ReportKey!);
            Assert.Equal(10_000, rows.Rows.Count);
            Assert.Equal(summary.Totals, rows.Totals);
        }
    }

    [Fact]
    public async Task Without_a_bucket_nothing_is_uploaded()
    {
        await using var ec2 = new FakeEc2Server();
        var counter = new CountingHttpClientFactory();
        using var s3 = new AmazonS3Client(AwsClients.Credentials, new AmazonS3Config { ServiceURL = fauxqs.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter });
        var activities = Activities(ec2, s3, new CountingHttpClientFactory(), new PoolAuditOptions(), "unused");

        var key = await activities.UploadPoolAuditReportAsync(new PoolAuditUploadRequest(AuditTime, "w", "r", "# report"));

        Assert.Null(key);
        Assert.Equal(0, counter.Total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_audit_activity_reads_every_page_itself_and_reports_as_the_steps_would(bool dryRun)
    {
        var pools = await dynalite.CreatePoolsTableAsync();
        var jobs = await dynalite.CreateJobsTableAsync();
        var bucket = await fauxqs.CreateBucketAsync($"pool-audit-whole-{(dryRun ? "dry" : "real")}");
        await using var ec2 = new FakeEc2Server();
        using (var seed = dynalite.CreateClient())
        {
            for (var p = 0; p < 5; p++)
            {
                await seed.PutItemAsync(pools, Pool($"pool-{p}", "m5.large", 2, 1));
            }

            await JobsTableSeed.PutJobsAsync(seed, jobs, [.. Enumerable.Range(0, 12).Select(i => ((long)i + 1, $"i-{i:D3}", i % 3 == 0 ? "running" : "completed"))]);
            await RunsFleetSeed.PutAsync(seed, pools, RunsFleetSeed.TaskLock("pool_audit", AuditTime), RunsFleetSeed.FleetDay(new DateOnly(2026, 11, 19), AuditTime));
        }

        // 12 instances of pools 0-3 over 3 DescribeInstances pages of 5, one of a pool not in the table.
        for (var i = 0; i < 12; i++)
        {
            ec2.AddInstance($"i-{i:D3}", state: i % 4 == 3 ? Ec2States.Stopped : Ec2States.Running, launchTime: AuditTime.AddHours(-1 - i), tags: PoolTag($"pool-{i % 4}"));
        }

        ec2.AddInstance("i-stray", launchTime: AuditTime.AddHours(-1), tags: PoolTag("retired"));
        var counter = new CountingHttpClientFactory();
        using var s3 = fauxqs.CreateS3Client();
        var sink = new RecordingMetricsSink();
        var activities = Activities(ec2, s3, counter, new PoolAuditOptions { PoolsTableName = pools, PoolsPageSize = 2, InstancePageSize = 5, ReportBucket = bucket }, jobs, sink);

        var summary = await new ActivityEnvironment().RunAsync(
            () => activities.AuditPoolsAsync(new PoolAuditRequest(AuditTime, "sweep-pool-audit", "run-1", dryRun)));

        Assert.Equal((5, 9, 3, 1), (summary.Totals.Pools, summary.Totals.Running, summary.Totals.Stopped, summary.UntrackedInstances));
        Assert.Equal((3, 6), (summary.Totals.Assigned, summary.Totals.Idle));
        // Scan pages + DescribeInstances pages + one DescribeVolumes for the 3 stopped instances.
        Assert.Equal((13L, 4 + 3 + 1), (summary.InstancesScanned, summary.Pages));
        // Pools: 5 items and 2 reserved rows in Scan pages of 2 (four pages); the active jobs once per
        // audit (one Query per active status), however many instance pages; the stopped instances'
        // volumes in one DescribeVolumes although they came on different listing pages.
        Assert.Equal(4, counter.Count("Scan"));
        Assert.Equal(1, ec2.Count("DescribeVolumes"));
        Assert.Equal(ActiveJobIndexReader.ActiveStatuses.Count, counter.Count("Query"));
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket });
        if (dryRun)
        {
            Assert.Equal((null, 0), (summary.ReportKey, summary.MetricsPublished));
            Assert.Empty(sink.All);
            Assert.Empty(listed.S3Objects ?? []);
        }
        else
        {
            // The markdown and, next to it, the same rows as JSON for tools (the CLI's pool report).
            Assert.Equal(
                [PoolAuditRowsDocument.KeyFor(summary.ReportKey!), summary.ReportKey],
                listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
            var rows = await ReadRowsAsync(s3, bucket, summary.ReportKey!);
            Assert.Equal(["pool-0", "pool-1", "pool-2", "pool-3", "pool-4"], rows.Rows.Select(r => r.Pool));
            Assert.Equal((summary.Totals, 1), (rows.Totals, rows.UntrackedInstances));
            Assert.Equal(sink.All.Count, summary.MetricsPublished);
            Assert.Equal(4, sink.All.Count(m => m.Name == "PoolUtilization"));
        }
    }

    [Fact]
    public async Task The_audit_activity_lists_no_instance_without_a_pool()
    {
        var pools = await dynalite.CreatePoolsTableAsync();
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-orphan-pool", launchTime: AuditTime.AddHours(-1), tags: PoolTag("gone"));
        using var s3 = fauxqs.CreateS3Client();
        var activities = Activities(ec2, s3, new CountingHttpClientFactory(), new PoolAuditOptions { PoolsTableName = pools }, "unused");

        var summary = await new ActivityEnvironment().RunAsync(
            () => activities.AuditPoolsAsync(new PoolAuditRequest(AuditTime, "sweep-pool-audit", "run-1", DryRun: true)));

        Assert.Equal((0, 0L, 1, 0), (summary.Totals.Pools, summary.InstancesScanned, summary.Pages, summary.UntrackedInstances));
    }

    [Fact]
    public async Task Publishes_the_three_pool_metrics_with_the_pool_name_dimension()
    {
        await using var ec2 = new FakeEc2Server();
        using var s3 = fauxqs.CreateS3Client();
        var sink = new RecordingMetricsSink();
        var activities = Activities(ec2, s3, new CountingHttpClientFactory(), new PoolAuditOptions(), "unused", sink);
        var row = PoolCosts.Row(new PoolDefinition("linux", "m5.large", 2, 2), PoolCostsTests.Tally("linux", "m5.large", 2, 2, 1, 1, 10, stoppedGiB: 146), new InstancePrices(), 0.10m, 730);

        var published = await new ActivityEnvironment().RunAsync(() => activities.PublishPoolAuditMetricsAsync([row]));

        Assert.Equal(3, published);
        Assert.Equal(0.02, sink.Single("PoolIdleCost").Value, 10);
        Assert.Equal(0.96, sink.Single("PoolComputeCost").Value, 10);
        Assert.Equal(0.25, sink.Single("PoolUtilization").Value, 10);
        Assert.All(sink.All, m => Assert.Equal("linux", m.Dimensions["PoolName"]));
    }

    private static Dictionary<string, string> PoolTag(string pool) => new() { [FleetTags.Pool] = pool, [FleetTags.Managed] = "true" };

    private static Dictionary<string, AttributeValue> Pool(string name, string type, int running, int stopped) => new()
    {
        [PoolsTable.PoolName] = new() { S = name },
        [PoolsTable.InstanceType] = new() { S = type },
        [PoolsTable.DesiredRunning] = new() { N = running.ToString(CultureInfo.InvariantCulture) },
        [PoolsTable.DesiredStopped] = new() { N = stopped.ToString(CultureInfo.InvariantCulture) },
    };

    private PoolAuditActivities Activities(
        FakeEc2Server ec2,
        IAmazonS3 s3,
        CountingHttpClientFactory counter,
        PoolAuditOptions options,
        string jobsTable,
        RecordingMetricsSink? sink = null,
        Microsoft.Extensions.Logging.ILogger<PoolAuditActivities>? logger = null)
    {
        var dynamo = new AmazonDynamoDBClient(
            AwsClients.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter });
        return new PoolAuditActivities(
            dynamo,
            AwsClients.Ec2(ec2.ServiceUrl, maxErrorRetry: 0),
            s3,
            Options.Create(options),
            Options.Create(new JobsTableOptions { TableName = jobsTable }),
            sink ?? new RecordingMetricsSink(),
            logger ?? NullLogger<PoolAuditActivities>.Instance);
    }

    private static async Task<PoolAuditRowsDocument> ReadRowsAsync(IAmazonS3 s3, string bucket, string markdownKey)
    {
        using var response = await s3.GetObjectAsync(bucket, PoolAuditRowsDocument.KeyFor(markdownKey));
        using var reader = new StreamReader(response.ResponseStream);
        return PoolAuditRowsDocument.FromJson(await reader.ReadToEndAsync()) ?? throw new InvalidOperationException("the rows object is not a rows document");
    }
}
