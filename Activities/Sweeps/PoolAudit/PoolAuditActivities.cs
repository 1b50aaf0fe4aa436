using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Contracts.Sweeps;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>The PoolAudit activity and its steps: read the pools table a page at a time (skipping
/// runs-fleet's reserved rows), count pool instances a DescribeInstances page at a time (looking
/// up running ones among the active jobs), read the stopped ones' volumes 200 instances per
/// DescribeVolumes, then price (each running instance by the type EC2 reports for it) and render
/// the report, upload it and publish the metrics. Only running and stopped instances count;
/// pending and stopping ones are in transition.</summary>
public sealed class PoolAuditActivities
{
    public const string IdleCostMetric = "PoolIdleCost";
    public const string ComputeCostMetric = "PoolComputeCost";
    public const string UtilizationMetric = "PoolUtilization";
    public const string PoolNameDimension = "PoolName";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly IAmazonS3 _s3;
    private readonly FleetInstanceReader _reader;
    private readonly StoppedVolumeReader _volumes;
    private readonly ActiveJobIndexReader _activeJobs;
    private readonly ActiveJobSetCache _activeJobCache;
    private readonly PoolAuditOptions _options;
    private readonly InstancePrices _prices;
    private readonly IMetricsSink _metrics;
    private readonly ILogger<PoolAuditActivities> _logger;

    public PoolAuditActivities(
        IAmazonDynamoDB dynamo,
        IAmazonEC2 ec2,
        IAmazonS3 s3,
        IOptions<PoolAuditOptions> options,
        IOptions<JobsTableOptions> jobsTable,
        IMetricsSink metrics,
        ILogger<PoolAuditActivities> logger,
        ActiveJobSetCache? activeJobCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jobsTable);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        _reader = new FleetInstanceReader(ec2);
        _volumes = new StoppedVolumeReader(ec2);
        _activeJobs = new ActiveJobIndexReader(dynamo, jobsTable.Value);
        _activeJobCache = activeJobCache ?? new ActiveJobSetCache(TimeProvider.System);
        _options = options.Value;
        _prices = new InstancePrices(_options.HourlyPrices);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The whole audit in one activity: reads every pools-table page, counts every pool instance
    /// page (running ones against the active jobs read once), reads the stopped ones' volumes in
    /// batches of 200, then builds, uploads and publishes the report. The pools, tallies and rows
    /// stay in this activity's memory (bounded by the pools table), so neither its request nor its
    /// result grows with the pools or instances. A retry starts over from the first page: a failed
    /// attempt has published nothing, and the listing costs one request per 1000 instances.</summary>
    [Activity]
    public async Task<PoolAuditSummary> AuditPoolsAsync(PoolAuditRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pools = new List<PoolDefinition>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await ReadPoolsPageAsync(new PoolsPageRequest(cursor, _options.PoolsPageSize));
            pools.AddRange(page.Pools);
            cursor = page.LastPool;
            pages++;
            CurrentActivity.Heartbeat();
        }
        while (cursor is not null);

        // Without a pool there is nothing to count: no instance is listed. The active jobs are
        // read once per audit, at the first running instance; a failed read is not kept, so the
        // next page tries again (and its running instances count as lookup failed meanwhile).
        var ct = CurrentActivity.CancellationToken;
        ActiveJobSet? activeJobs = null;
        async Task<ActiveJobSet> ActiveJobsAsync()
        {
            var set = activeJobs ?? await _activeJobs.ReadAsync(CurrentActivity.HeartbeatCallback, ct);
            activeJobs = set.Failure is null ? set : null;
            return set;
        }

        var tallies = new Dictionary<string, PoolTally>(StringComparer.Ordinal);
        void Tally(IEnumerable<PoolTally> counted)
        {
            foreach (var tally in counted)
            {
                tallies[tally.Pool] = tallies.TryGetValue(tally.Pool, out var sofar) ? sofar.Add(tally) : tally;
            }
        }

        // Stopped instances wait here until a full DescribeVolumes batch (200) is ready, across
        // listing pages, so the volumes cost ceil(stopped / 200) requests, not one per page's rest.
        var waiting = new List<StoppedInstance>();
        async Task ReadVolumesAsync(int minimum)
        {
            while (waiting.Count > 0 && waiting.Count >= minimum)
            {
                var batch = waiting.Take(StoppedVolumeReader.MaxInstancesPerRequest).ToList();
                waiting.RemoveRange(0, batch.Count);
                var volumes = await ReadStoppedVolumesAsync(batch);
                Tally(volumes.Tallies);
                pages += volumes.Pages;
            }
        }

        var names = pools.Select(p => p.Name).ToList();
        long scanned = 0;
        var untracked = 0;
        string? token = null;
        while (pools.Count > 0)
        {
            var page = await CountPoolInstancesPageAsync(
                new PoolInstancesPageRequest(token, request.AuditTime, _options.InstancePageSize, names),
                    ActiveJobsAsync);
            Tally(page.Tallies);
            waiting.AddRange(page.Stopped);
            await ReadVolumesAsync(StoppedVolumeReader.MaxInstancesPerRequest);
            scanned += page.Scanned;
            untracked += page.Untracked;
            pages++;
            token = page.NextToken;
            if (token is null)
            {
                break;
            }
        }

        await ReadVolumesAsync(1);

        var summary = await PublishPoolAuditReportAsync(new PoolAuditPublishRequest(
            request.AuditTime, pools, [.. tallies.Values], untracked, request.WorkflowId, request.RunId,
                request.DryRun));
        return summary with { InstancesScanned = scanned, Pages = pages };
    }

    /// <summary>Reads one Scan page of the pools table (a step of <see cref="AuditPoolsAsync"/>).</summary>
    public async Task<PoolsPage> ReadPoolsPageAsync(PoolsPageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scan = new ScanRequest
        {
            TableName = _options.PoolsTableName,
            Limit = Math.Max(1, request.PageSize),
            ConsistentRead = true,
            ExclusiveStartKey = request.StartAfterPool is null
                ? null
                : new Dictionary<string,
                    AttributeValue> { [PoolsTable.PoolName] = new() { S = request.StartAfterPool } },
        };
        var response = await AwsCall.RunAsync("Scan pools", () => _dynamo.ScanAsync(scan,
            CurrentActivity.CancellationToken));

        var pools = (response.Items ?? [])
            .Select(PoolsTable.ToPool)
            .OfType<PoolDefinition>()
            .ToList();
        var last = response.LastEvaluatedKey is { Count: > 0 } key && key.TryGetValue(PoolsTable.PoolName,
            out var name) ? name.S : null;
        return new PoolsPage(pools, last);
    }

    /// <summary>
    /// Counts one page of pool instances (running and stopped) per pool; each running
    /// instance is looked up in the jobs table to tell assigned from idle (a step of <see cref="AuditPoolsAsync"/>).
    /// </summary>
    public Task<PoolInstancesPage> CountPoolInstancesPageAsync(PoolInstancesPageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        return CountPoolInstancesPageAsync(
            request,
            () => _activeJobCache.GetOrReadAsync(
                ActiveJobSetCache.KeyFor(SweepKind.PoolAudit, request.AuditTime),
                () => _activeJobs.ReadAsync(CurrentActivity.HeartbeatCallback, ct),
                ct));
    }

    // Counts one page; activeJobs is asked only when the page has a running pool instance.
    private async Task<PoolInstancesPage> CountPoolInstancesPageAsync(PoolInstancesPageRequest request,
        Func<Task<ActiveJobSet>> activeJobs)
    {
        var ct = CurrentActivity.CancellationToken;
        var page = await _reader.ReadPageAsync(
            [FleetInstanceReader.TagKeyFilter(FleetTags.Pool), FleetInstanceReader.StateFilter("running", "stopped")],
            request.NextToken,
            request.PageSize,
            ct);
        CurrentActivity.Heartbeat();

        var known = request.PoolNames.ToHashSet(StringComparer.Ordinal);
        var tracked = page.Instances.Where(i => i.Pool is not null && known.Contains(i.Pool)).ToList();
        var running = tracked.Where(i => i.State == "running").ToList();
        // A failed read of the active jobs marks every running instance's lookup failed.
        var active = running.Count == 0 ? ActiveJobSet.Of(new Dictionary<string, long?>()) : await activeJobs();
        var lookups = running.ToDictionary(i => i.InstanceId, i => active.Lookup(i.InstanceId), StringComparer.Ordinal);

        var tallies = tracked
            .GroupBy(i => i.Pool!, StringComparer.Ordinal)
            .Select(group => group.Aggregate(PoolTally.Empty(group.Key), (tally, instance) => tally.Count(instance,
                lookups.GetValueOrDefault(instance.InstanceId), request.AuditTime)))
            .ToList();
        var stopped = tracked
            .Where(i => i.State != "running")
            .Select(i => new StoppedInstance(i.InstanceId, i.Pool!))
            .ToList();
        var untracked = page.Instances.Count - tracked.Count;
        return new PoolInstancesPage(page.NextToken, page.Instances.Count, tallies, untracked) { Stopped = stopped };
    }

    /// <summary>Reads the volumes of up to 200 stopped instances (one DescribeVolumes filter, paged) and
    /// returns their GiB per pool (a step of <see cref="AuditPoolsAsync"/>).</summary>
    public async Task<StoppedVolumesPage> ReadStoppedVolumesAsync(IReadOnlyList<StoppedInstance> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (sizes, pages) = await _volumes.ReadAsync(
            batch.Select(i => i.InstanceId).ToList(),
            _options.VolumePageSize,
            () => CurrentActivity.Heartbeat(),
            CurrentActivity.CancellationToken);
        return new StoppedVolumesPage(StoppedVolumeReader.Tallies(batch, sizes), pages);
    }

    /// <summary>Builds the report, writes it to S3 (when a bucket is configured) and publishes the per-pool
    /// metrics (when there are rows); in a dry run it only builds and logs it. Only the key and
    /// totals come back.
    /// Safe to retry: the key is the run's, so a retried upload overwrites its own object.
    /// The last step of <see cref="AuditPoolsAsync"/>.</summary>
    public async Task<PoolAuditSummary> PublishPoolAuditReportAsync(PoolAuditPublishRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await BuildPoolAuditReportAsync(new PoolAuditReportRequest(request.AuditTime, request.Pools,
            request.Tallies, request.UntrackedInstances));
        if (request.DryRun)
        {
            return new PoolAuditSummary(null, report.Totals, report.UntrackedInstances, 0);
        }

        var key = await UploadPoolAuditReportAsync(
            new PoolAuditUploadRequest(request.AuditTime, request.WorkflowId, request.RunId,
                report.Markdown) { Rows = PoolAuditRowsDocument.Of(report) });
        CurrentActivity.Heartbeat();
        var published = report.Rows.Count > 0 ? await PublishPoolAuditMetricsAsync(report.Rows) : 0;
        return new PoolAuditSummary(key, report.Totals, report.UntrackedInstances, published);
    }

    /// <summary>Prices every pool, renders the markdown and logs it.</summary>
    public Task<PoolAuditReport> BuildPoolAuditReportAsync(PoolAuditReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tallies = request.Tallies.ToDictionary(t => t.Pool, StringComparer.Ordinal);
        var rows = request.Pools
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => PoolCosts.Row(
                p, tallies.GetValueOrDefault(p.Name) ?? PoolTally.Empty(p.Name), _prices, _options.EbsPricePerGbMonth,
                    _options.HoursPerMonth))
            .ToList();
        var totals = PoolCosts.Totals(rows);
        var markdown = PoolAuditMarkdown.Render(request.AuditTime, rows, totals, request.UntrackedInstances);
        _logger.LogInformation("Pool audit report:\n{Report}", markdown);
        return Task.FromResult(new PoolAuditReport(request.AuditTime, rows, totals, request.UntrackedInstances,
            markdown));
    }

    /// <summary>Writes the report (its JSON rows first, then the markdown) to S3 when a bucket is configured; returns
    /// the markdown's key, or null when not configured.</summary>
    public async Task<string?> UploadPoolAuditReportAsync(PoolAuditUploadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(_options.ReportBucket))
        {
            return null;
        }

        var key = PoolAuditReportKey.For(_options.ReportPrefix, request.AuditTime, request.WorkflowId, request.RunId);
        if (request.Rows is { } rows)
        {
            await AwsCall.RunAsync("PutObject pool audit rows", () =>
                _s3.PutObjectAsync(rows.PutRequest(_options.ReportBucket, key), CurrentActivity.CancellationToken));
        }

        var put = new PutObjectRequest
        {
            BucketName = _options.ReportBucket,
            Key = key,
            ContentBody = request.Markdown,
            ContentType = "text/markdown; charset=utf-8",
        };
        await AwsCall.RunAsync("PutObject pool audit report", () => _s3.PutObjectAsync(put,
            CurrentActivity.CancellationToken));

        _logger.LogInformation("Pool audit report written to s3://{Bucket}/{Key}", _options.ReportBucket, key);
        return key;
    }

    /// <summary>Publishes PoolIdleCost, PoolComputeCost and PoolUtilization per pool; unknown values are not
    /// published.</summary>
    public async Task<int> PublishPoolAuditMetricsAsync(IReadOnlyList<PoolAuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return await _metrics.PublishAsync(Metrics(rows), CurrentActivity.CancellationToken);
    }

    /// <summary>The metrics of the rows (pure; also used by tests).</summary>
    public static IReadOnlyList<MetricDatum> Metrics(IReadOnlyList<PoolAuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return
        [
            .. rows.SelectMany(row => new (string Name, double? Value)[]
                {
                    (IdleCostMetric, (double?)row.IdleCostPerHour),
                    (ComputeCostMetric, (double?)row.ComputeCost),
                    (UtilizationMetric, row.Utilization),
                }
                .Where(m => m.Value is not null)
                .Select(m => MetricDatum.With(m.Name, m.Value!.Value, "None", PoolNameDimension, row.Pool))),
        ];
    }
}
