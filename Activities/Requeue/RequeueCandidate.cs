namespace RunsFleet.Activities.Requeue;

/// <summary>The fields of a job record a requeue message is built from (runs-fleet's RequeueableJob,
/// pkg/housekeeping/requeue.go:39), read as runs-fleet reads them: a missing number is 0, a
/// missing string "".</summary>
/// <param name="JobId">job_id.</param>
/// <param name="RunId">run_id (0 when absent: such a record is never requeued).</param>
/// <param name="Repo">repo.</param>
/// <param name="InstanceType">instance_type.</param>
/// <param name="Pool">pool ("" for a cold start).</param>
/// <param name="RetryCount">retry_count.</param>
/// <param name="Status">status (running or launched: the only ones a failed bootstrap requeues).</param>
/// <param name="OriginalLabel">original_label.</param>
public sealed record RequeueCandidate(
    long JobId,
    long RunId,
    string Repo,
    string InstanceType,
    string Pool,
    int RetryCount,
    string Status,
    string OriginalLabel)
{
    /// <summary>
    /// runs-fleet's maxBootstrapRequeues (handler.go:83): a job at this retry_count is not requeued again.
    /// </summary>
    public const int MaxBootstrapRequeues = 2;
}

/// <summary>What FindRequeueCandidate found for an instance whose runner failed to bootstrap.</summary>
/// <param name="Candidate">The instance's one running or launched job; null when it has none, or several.</param>
/// <param name="ActiveJobs">
/// Running or launched jobs found: 0, 1, or 2 meaning "two or more" (the lookup stops there).
/// </param>
/// <param name="QueueConfigured">True when RUNS_FLEET_QUEUE_URL is set, so a requeue can be sent.</param>
/// <param name="Pages">Index pages read.</param>
public sealed record RequeueLookup(RequeueCandidate? Candidate, int ActiveJobs, bool QueueConfigured, int Pages)
{
    /// <summary>The lookup stops once it knows this many jobs: more than one means none can be chosen.</summary>
    public const int StopAt = 2;
}

/// <summary>Flip a job record to requeued (runs-fleet's markJobRequeued, with the instance condition added).</summary>
/// <param name="JobId">The job.</param>
/// <param name="InstanceId">The instance whose runner failed; the record must still be its.</param>
public sealed record MarkJobRequeuedRequest(long JobId, string InstanceId);

/// <summary>What MarkJobRequeued did.</summary>
/// <param name="Flipped">True when this call flipped the record to requeued.</param>
/// <param name="PreviousStatus">For a flip: the status it had (running or launched), which an undo restores.</param>
/// <param name="RequeuedAt">For a flip: the requeued_at written, which an undo checks.</param>
/// <param name="Record">For a flip: the record as it was just before it (the requeue message is built from it).</param>
/// <param name="CurrentStatus">When not flipped: the record's status now (null without a record).</param>
/// <param name="CurrentInstanceId">When not flipped: the record's instance now.</param>
public sealed record MarkJobRequeuedResult(
    bool Flipped,
    string? PreviousStatus,
    string? RequeuedAt,
    RequeueCandidate? Record,
    string? CurrentStatus = null,
    string? CurrentInstanceId = null);

/// <summary>Undo a flip whose message could not be sent (runs-fleet's rollbackRequeueFlip, requeue.go:681).</summary>
/// <param name="JobId">The job.</param>
/// <param name="InstanceId">The instance the record must still name.</param>
/// <param name="RestoreStatus">The status before the flip.</param>
/// <param name="RequeuedAt">
/// The requeued_at of the flip: the record must still carry it, so only our own flip is undone.
/// </param>
public sealed record UndoJobRequeuedRequest(long JobId, string InstanceId, string RestoreStatus, string RequeuedAt);

/// <summary>What UndoJobRequeued did.</summary>
/// <param name="Undone">True when this call restored the record.</param>
/// <param name="CurrentStatus">The record's status afterwards (null without a record).</param>
public sealed record UndoJobRequeuedResult(bool Undone, string? CurrentStatus);

/// <summary>A requeue message SQS accepted.</summary>
/// <param name="MessageId">SQS message id.</param>
/// <param name="MessageGroupId">FIFO group id (the job id); null on a standard queue.</param>
/// <param name="DeduplicationId">FIFO deduplication id; null on a standard queue.</param>
public sealed record RequeueMessageSent(string MessageId, string? MessageGroupId, string? DeduplicationId);
