using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Jobs;

/// <summary>Writes a job's start and end to its record in the jobs table. Every write is a
/// conditional update (the record belongs to the reporting instance and is not terminal yet;
/// a start also needs it launched or claiming), so redelivered messages, retries and late
/// reports never change a finished job; when the condition fails the record is read back to
/// say why.</summary>
public sealed class JobRecordActivities
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly JobsTableOptions _table;
    private readonly ILogger<JobRecordActivities> _logger;

    /// <summary>Creates the activities.</summary>
    public JobRecordActivities(IAmazonDynamoDB dynamo, IOptions<JobsTableOptions> options,
        ILogger<JobRecordActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _table = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Marks the job terminal if this instance owns its record and it has not ended yet.</summary>
    [Activity]
    public async Task<CompleteJobResult> CompleteJobAsync(CompleteJobRequest request)
    {
        Validate(request);
        if (await UpdateIfAllowedAsync(JobRecordRequests.Complete(_table.TableName, request),
            request.JobId) is { } response)
        {
            var updated = JobRecordRequests.ToSnapshot(response.Attributes);
            _logger.LogInformation("Job {JobId} on {InstanceId} marked {Status}", request.JobId, request.InstanceId,
                request.Status);
            return new CompleteJobResult(CompleteJobOutcome.Completed, updated.Pool, updated.Status ?? request.Status,
                request.InstanceId);
        }

        // The condition failed: read the record to say why.
        var record = await ReadAsync(request.JobId);
        var outcome = JobRecordDecisions.AfterFailedCompletion(record,
            request.InstanceId) ?? throw Concurrent(request.JobId);
        _logger.LogInformation(
            "Job {JobId} not completed by {InstanceId}: {Outcome} (record instance {RecordInstanceId}, status "
                + "{RecordStatus})",
            request.JobId,
            request.InstanceId,
            outcome,
            record.InstanceId,
            record.Status);
        return new CompleteJobResult(outcome, record.Pool, record.Status, record.InstanceId);
    }

    /// <summary>Confirms the runner: moves this instance's launched or claiming record to running with
    /// started_at. A running record keeps its started_at; any other record is read back to say why
    /// it was left alone. A legacy record with pool "" loses that empty pool (<see cref="LegacyEmptyPool"/>).</summary>
    [Activity]
    public async Task<RecordJobStartedResult> RecordJobStartedAsync(RecordJobStartedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        FailureTypes.RequireJobKey(request.JobId, request.InstanceId);
        var update = JobRecordRequests.Start(_table.TableName, request);
        if (await UpdateIfAllowedAsync(update, request.JobId) is { } response)
        {
            var item = response.Attributes;
            var updated = JobRecordRequests.ToSnapshot(item);
            _logger.LogInformation(
                "Job {JobId} on {InstanceId} running since {StartedAt}",
                request.JobId,
                request.InstanceId,
                updated.StartedAt);
            return new RecordJobStartedResult(
                RecordJobStartedOutcome.Recorded,
                updated.Pool,
                updated.Status,
                updated.StartedAt,
                JobRecord.ParseTimestamp(JobAttributes.Text(item, JobRecord.CreatedAt)),
                JobAttributes.Text(item, JobRecord.InstanceType),
                item.TryGetValue(JobRecord.WarmPoolHit, out var warm) && warm.BOOL == true,
                item.TryGetValue(JobRecord.HotPoolHit, out var hot) && hot.BOOL == true);
        }

        var record = await ReadAsync(request.JobId);
        var outcome = JobRecordDecisions.AfterFailedStart(record, request.InstanceId)
            ?? throw (JobRecordDecisions.AwaitsLaunch(record) ? NotLaunched(request.JobId) : Concurrent(request.JobId));
        _logger.LogInformation(
            "Start of job {JobId} not recorded for {InstanceId}: {Outcome} "
                + "(record instance {RecordInstanceId}, status {RecordStatus})",
            request.JobId,
            request.InstanceId,
            outcome,
            record.InstanceId,
            record.Status);
        return new RecordJobStartedResult(outcome, record.Pool, record.Status, record.StartedAt);
    }

    /// <summary>Finds the job an agent could not name (it failed before it learned its job id): the
    /// non-terminal records of <paramref name="instanceId"/> through the instance-id-index, page
    /// by page, stopping as soon as two are known. A record without a status counts as
    /// non-terminal, as in the completion's own condition. Read-only; AWS errors fail the
    /// activity typed with their code, like the other job-record activities.</summary>
    [Activity]
    public async Task<ActiveJobsOfInstance> FindActiveJobsOfInstanceAsync(string instanceId)
    {
        FailureTypes.RequireInstanceId(instanceId);
        var active = new List<long>();
        Dictionary<string, AttributeValue>? startKey = null;
        var pages = 0;
        do
        {
            var query = InstanceJobQuery.Page(_table, instanceId, startKey);
            var response = await AwsCall.RunAsync(
                "Query",
                () => JobsIndexQuery.RunAsync(_dynamo, _table, query, CurrentActivity.CancellationToken),
                ex => _logger.LogWarning(ex, "Query of the jobs of {InstanceId} failed with {ErrorCode}", instanceId,
                    ex.ErrorCode));
            pages++;
            foreach (var item in response.Items ?? [])
            {
                var (jobId, status) = InstanceJobQuery.Read(item);
                if (jobId is { } id && !JobRecord.IsTerminal(status))
                {
                    active.Add(id);
                    if (active.Count == ActiveJobsOfInstance.StopAt)
                    {
                        break;
                    }
                }
            }

            startKey = InstanceJobQuery.NextKey(response);
            // A long-lived warm instance may have many pages of finished jobs.
            CurrentActivity.Heartbeat(pages);
        }
        while (startKey is not null && active.Count < ActiveJobsOfInstance.StopAt);

        _logger.LogInformation(
            "Jobs of {InstanceId}: {ActiveJobs} non-terminal found ({JobIds}) in {Pages} pages",
            instanceId,
            active.Count,
            string.Join(", ", active),
            pages);
        return new ActiveJobsOfInstance(active, pages);
    }

    // The conditional update; null when its condition failed (not this instance's, or already terminal).
    private Task<UpdateItemResponse?> UpdateIfAllowedAsync(UpdateItemRequest update, long jobId) =>
        AwsCall.RunAsync(
            "UpdateItem",
            () => LegacyEmptyPool.UpdateAsync(_dynamo, update, CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(ex, "UpdateItem of job {JobId} failed with {ErrorCode}", jobId, ex.ErrorCode));

    private async Task<JobRecordDecisions.Snapshot> ReadAsync(long jobId)
    {
        var response = await AwsCall.RunAsync(
            "GetItem",
            () => _dynamo.GetItemAsync(JobRecordRequests.Read(_table.TableName, jobId),
                CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(ex, "GetItem of job {JobId} failed with {ErrorCode}", jobId, ex.ErrorCode));
        return JobRecordRequests.ToSnapshot(response.Item);
    }

    private static void Validate(CompleteJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        FailureTypes.RequireJobKey(request.JobId, request.InstanceId);
        if (!JobRecord.IsTerminal(request.Status))
        {
            throw FailureTypes.Invalid(
                $"status '{request.Status}' is not terminal ({string.Join(", ", JobRecord.TerminalStatuses)})");
        }

        if (!double.IsFinite(request.DurationSeconds) || request.DurationSeconds < 0)
        {
            throw FailureTypes.Invalid($"duration_seconds {request.DurationSeconds} must be a finite number >= 0");
        }

        if (request.StartedAt is { } started && started > request.CompletedAt)
        {
            throw FailureTypes.Invalid($"started_at {started:O} is after completed_at {request.CompletedAt:O}");
        }
    }

    private static ApplicationFailureException NotLaunched(long jobId) =>
        new($"job {jobId} is still claiming without an instance (runs-fleet has not saved its launch yet); retrying",
            errorType: FailureTypes.JobNotLaunched,
            nonRetryable: false);

    private static ApplicationFailureException Concurrent(long jobId) =>
        new($"job {jobId} changed while it was being updated; retrying", errorType: FailureTypes.ConcurrentJobUpdate,
            nonRetryable: false);
}
