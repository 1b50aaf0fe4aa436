using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using Temporalio.Activities;

namespace RunsFleet.Activities.Requeue;

/// <summary>The steps of runs-fleet's bootstrap-failure requeue (pkg/termination/handler.go:381
/// processBootstrapFailure), each its own activity so the workflow runs them as one durable
/// sequence: find the instance's job, flip its record to requeued, send the launch message to
/// runs-fleet's job queue, and undo the flip if the send fails for good. Every write is
/// conditional and every step may be retried.</summary>
public sealed class JobRequeueActivities
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly IAmazonSQS _sqs;
    private readonly JobsTableOptions _table;
    private readonly JobQueueOptions _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRequeueActivities> _logger;

    /// <summary>Creates the activities.</summary>
    public JobRequeueActivities(
        IAmazonDynamoDB dynamo,
        IAmazonSQS sqs,
        IOptions<JobsTableOptions> table,
        IOptions<JobQueueOptions> queue,
        TimeProvider time,
        ILogger<JobRequeueActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(queue);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _sqs = sqs ?? throw new ArgumentNullException(nameof(sqs));
        _table = table.Value;
        _queue = queue.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The running or launched jobs of <paramref name="instanceId"/> through the instance-id-index,
    /// page by page until two are known (runs-fleet takes the first; two mean none can be chosen
    /// safely), and whether a requeue could be sent at all.</summary>
    [Activity]
    public async Task<RequeueLookup> FindRequeueCandidateAsync(string instanceId)
    {
        FailureTypes.RequireInstanceId(instanceId);
        var found = new List<RequeueCandidate>();
        Dictionary<string, AttributeValue>? startKey = null;
        var pages = 0;
        do
        {
            var query = RequeueRequests.CandidatesPage(_table, instanceId, startKey);
            var response = await AwsCall.RunAsync(
                "Query",
                () => JobsIndexQuery.RunAsync(_dynamo, _table, query, CurrentActivity.CancellationToken),
                ex => _logger.LogWarning(
                    ex, "Query of the jobs of {InstanceId} failed with {ErrorCode}", instanceId, ex.ErrorCode));
            pages++;
            found.AddRange((response.Items ?? []).Select(RequeueRequests.ToCandidate).Where(c => c.JobId > 0));
            startKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            CurrentActivity.Heartbeat(pages);
        }
        while (startKey is not null && found.Count < RequeueLookup.StopAt);

        var active = Math.Min(found.Count, RequeueLookup.StopAt);
        _logger.LogInformation(
            "Requeue lookup of {InstanceId}: {ActiveJobs} running or launched job(s) ({JobIds}) in {Pages} pages; "
                + "job queue configured {QueueConfigured}",
            instanceId,
            active,
            string.Join(", ", found.Select(c => c.JobId)),
            pages,
            _queue.Configured);
        return new RequeueLookup(found.Count == 1 ? found[0] : null, active, _queue.Configured, pages);
    }

    /// <summary>Flips the record to requeued (this instance's, running or launched, under the cap).</summary>
    [Activity]
    public async Task<MarkJobRequeuedResult> MarkJobRequeuedAsync(MarkJobRequeuedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        FailureTypes.RequireJobKey(request.JobId, request.InstanceId);

        // Go's time.RFC3339 on a UTC host, like runs-fleet's requeued_at (jobs.go:1237).
        var requeuedAt = JobRecord.FormatTimestamp(_time.GetUtcNow());
        var flip = RequeueRequests.Flip(_table.TableName, request, requeuedAt);
        if (await UpdateAsync(flip, request.JobId) is { } response)
        {
            var before = RequeueRequests.ToCandidate(response.Attributes ?? []);
            _logger.LogInformation(
                "Job {JobId} of {InstanceId} flipped from {Status} to requeued at {RequeuedAt}",
                request.JobId,
                request.InstanceId,
                before.Status,
                requeuedAt);
            return new MarkJobRequeuedResult(true, before.Status, requeuedAt, before);
        }

        var (status, instance) = await ReadAsync(request.JobId);
        _logger.LogInformation(
            "Job {JobId} not flipped to requeued for {InstanceId}: record status {Status}, instance {RecordInstanceId}",
            request.JobId,
            request.InstanceId,
            status,
            instance);
        return new MarkJobRequeuedResult(false, null, null, null, status, instance);
    }

    /// <summary>Sends the launch message to runs-fleet's job queue, with the FIFO group and deduplication
    /// ids of pkg/queue/sqs.go on a FIFO queue. A repeated send (a retry after a lost reply) is
    /// absorbed by FIFO deduplication, and on a standard queue by runs-fleet's claim.</summary>
    [Activity]
    public async Task<RequeueMessageSent> SendRequeueMessageAsync(RequeueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.JobId <= 0)
        {
            throw FailureTypes.Invalid($"job id {message.JobId} must be positive");
        }

        if (!_queue.Configured)
        {
            throw FailureTypes.Invalid("RUNS_FLEET_QUEUE_URL is not set: there is no job queue to requeue to");
        }

        var send = new SendMessageRequest { QueueUrl = _queue.QueueUrl, MessageBody = message.ToJson() };
        if (_queue.Fifo)
        {
            send.MessageGroupId = message.MessageGroupId;
            send.MessageDeduplicationId = message.DeduplicationId;
        }

        var response = await AwsCall.RunAsync(
            "SendMessage",
            () => _sqs.SendMessageAsync(send, CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(
                ex,
                "Requeue of job {JobId} to {QueueUrl} failed with {ErrorCode}",
                message.JobId,
                _queue.QueueUrl,
                ex.ErrorCode));
        _logger.LogInformation(
            "Job {JobId} requeued to {QueueUrl} with retry_count {RetryCount} as message {MessageId}",
            message.JobId,
            _queue.QueueUrl,
            message.RetryCount,
            response.MessageId);
        return new RequeueMessageSent(response.MessageId, send.MessageGroupId, send.MessageDeduplicationId);
    }

    /// <summary>Restores a record whose requeue message could not be sent, if it is still our flip.</summary>
    [Activity]
    public async Task<UndoJobRequeuedResult> UndoJobRequeuedAsync(UndoJobRequeuedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        FailureTypes.RequireJobKey(request.JobId, request.InstanceId);
        if (!RequeueRequests.RequeueableStatuses.Contains(request.RestoreStatus, StringComparer.Ordinal))
        {
            throw FailureTypes.Invalid($"restore status '{request.RestoreStatus}' is not one a requeue starts from");
        }

        if (await UpdateAsync(RequeueRequests.Undo(_table.TableName, request), request.JobId) is not null)
        {
            _logger.LogWarning(
                "Requeue of job {JobId} undone: record back to {Status}", request.JobId, request.RestoreStatus);
            return new UndoJobRequeuedResult(true, request.RestoreStatus);
        }

        var (status, instance) = await ReadAsync(request.JobId);
        _logger.LogWarning(
            "Requeue of job {JobId} not undone: the record moved on (status {Status}, instance {RecordInstanceId})",
            request.JobId,
            status,
            instance);
        return new UndoJobRequeuedResult(false, status);
    }

    private Task<UpdateItemResponse?> UpdateAsync(UpdateItemRequest update, long jobId) =>
        AwsCall.RunAsync(
            "UpdateItem",
            () => LegacyEmptyPool.UpdateAsync(_dynamo, update, CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(ex, "UpdateItem of job {JobId} failed with {ErrorCode}", jobId, ex.ErrorCode));

    private async Task<(string? Status, string? InstanceId)> ReadAsync(long jobId)
    {
        var response = await AwsCall.RunAsync(
            "GetItem",
            () => _dynamo.GetItemAsync(
                RequeueRequests.Read(_table.TableName, jobId), CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(ex, "GetItem of job {JobId} failed with {ErrorCode}", jobId, ex.ErrorCode));
        return response.Item is { Count: > 0 } item
            ? (JobAttributes.Text(item, JobRecord.Status), JobAttributes.Text(item, JobRecord.InstanceId))
            : (null, null);
    }
}
