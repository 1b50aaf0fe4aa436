using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Activities of the OldJobArchival workflow: read a page of old terminal records from the
/// completed_at index, write it to S3 as JSON Lines, and only then delete it.</summary>
public sealed class JobArchiveActivities
{
    /// <summary>Name of the metric counting records removed from the jobs table.</summary>
    public static readonly string ArchivedMetric = SweepDefinition.Of(SweepKind.JobArchive).Metric!;

    private readonly IAmazonDynamoDB _dynamo;
    private readonly IAmazonS3 _s3;
    private readonly JobsTableOptions _table;
    private readonly JobArchiveOptions _options;
    private readonly IMetricsSink _metrics;
    private readonly JobRecordBatchDeleter _deleter;
    private readonly ILogger<JobArchiveActivities> _logger;

    public JobArchiveActivities(
        IAmazonDynamoDB dynamo,
        IAmazonS3 s3,
        IOptions<JobsTableOptions> table,
        IOptions<JobArchiveOptions> options,
        IMetricsSink metrics,
        TimeProvider time,
        ILogger<JobArchiveActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        _table = table.Value;
        _options = options.Value;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _deleter = new JobRecordBatchDeleter(
            dynamo,
            time ?? throw new ArgumentNullException(nameof(time)),
            _options.DeleteMaxAttempts,
            TimeSpan.FromMilliseconds(_options.DeleteRetryDelayMilliseconds));
    }

    /// <summary>Resolves the sweep's settings: configuration, with the trigger's retention when it
    /// gives one. Resolved once per sweep so a configuration change cannot move the cutoff
    /// or the archive layout halfway through.</summary>
    [Activity("GetJobArchivalSettings")]
    public Task<JobArchivePlan> PlanJobArchiveAsync(int? retentionDaysOverride)
    {
        return Task.FromResult(new JobArchivePlan
        {
            // A trigger may only lengthen the retention (SweepOverrides): a shorter one fails the sweep.
            RetentionDays = SweepOverrides.Threshold(
                retentionDaysOverride, _options.RetentionDays, "retention_days",
                    "RUNS_FLEET_JOB_ARCHIVE_RETENTION_DAYS"),
            PageSize = _options.PageSize,
            PagesPerRun = _options.PagesPerRun,
            ArchiveBucket = _options.ArchiveEnabled ? _options.ArchiveBucket : null,
            ArchivePrefix = _options.ArchivePrefix,
        });
    }

    /// <summary>Reads one page of <see cref="JobArchivePageRequest.Status"/> records completed before
    /// the cutoff; unless it is a dry run, writes them to the archive object (when a bucket is
    /// given) and then deletes them 25 at a time. A page whose archive write fails deletes nothing.</summary>
    [Activity]
    public async Task<JobArchivePageResult> ArchiveJobPageAsync(JobArchivePageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancellationToken = CurrentActivity.CancellationToken;

        var query = JobsIndexQuery.Page(
            _table,
            _table.CompletedAtIndex,
            "#status = :status AND #completed_at < :cutoff",
            projection: null,
            new()
            {
                [":status"] = new AttributeValue { S = request.Status },
                [":cutoff"] = new AttributeValue { S = request.Cutoff },
            },
            request.Cursor?.ToExclusiveStartKey(),
            request.PageSize);
        var page = await JobsIndexQuery.ReadPageAsync(_dynamo, _table, query, cancellationToken);
        var items = page.Items ?? [];
        var old = items
            .Where(i => JobArchiveRules.IsArchivable(
                JobAttributes.Text(i, JobRecord.Status), JobAttributes.Text(i, JobRecord.CompletedAt), request.Cutoff))
            .ToList();
        var skipped = items.Count - old.Count;
        if (skipped > 0)
        {
            _logger.LogWarning("{Skipped} {Status} records matched the index query but not the cutoff check; left "
                + "alone", skipped, request.Status);
        }

        var result = new JobArchivePageResult
        {
            Matched = old.Count,
            Skipped = skipped,
            NextCursor = JobPageCursor.FromLastEvaluatedKey(page.LastEvaluatedKey),
        };
        if (request.DryRun || old.Count == 0)
        {
            return result;
        }

        string? archiveKey = null;
        if (!string.IsNullOrEmpty(request.ArchiveBucket) && !string.IsNullOrEmpty(request.ArchiveKey))
        {
            archiveKey = JobArchiveRules.KeyForAttempt(request.ArchiveKey, CurrentActivity.Attempt);
            await WriteArchiveAsync(request.ArchiveBucket, archiveKey, old, cancellationToken);
        }

        var jobIds = old.Select(i => i[JobRecord.JobId].N).ToList();
        var outcome = await _deleter.DeleteAsync(
            _table.TableName,
            jobIds,
            CurrentActivity.HeartbeatCallback,
            cancellationToken);
        if (outcome.Deleted > 0)
        {
            await _metrics.PublishAsync([MetricDatum.Plain(ArchivedMetric, outcome.Deleted, "Count")],
                cancellationToken);
        }

        if (outcome.UnprocessedJobIds.Count > 0)
        {
            _logger.LogWarning(
                "{Count} {Status} records stayed unprocessed after every BatchWriteItem attempt: {JobIds}",
                outcome.UnprocessedJobIds.Count,
                request.Status,
                outcome.UnprocessedJobIds);
        }

        _logger.LogInformation(
            "Archived {Deleted} of {Matched} {Status} records completed before {Cutoff} (archive {ArchiveKey})",
            outcome.Deleted,
            old.Count,
            request.Status,
            request.Cutoff,
            archiveKey ?? "off");
        return result with { Deleted = outcome.Deleted, ArchiveKey = archiveKey,
            UnprocessedJobIds = outcome.UnprocessedJobIds };
    }

    private async Task WriteArchiveAsync(string bucket, string key, IReadOnlyList<Dictionary<string,
        AttributeValue>> records, CancellationToken cancellationToken)
    {
        var put = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentBody = JobRecordJson.ToJsonLines(records),
            ContentType = "application/x-ndjson",
        };
        await AwsCall.RunAsync("PutObject " + bucket, () => _s3.PutObjectAsync(put, cancellationToken));
    }
}
