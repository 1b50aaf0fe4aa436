using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Requeue;

/// <summary>The DynamoDB requests of a bootstrap failure's requeue, after runs-fleet's: GetJobByInstance
/// (pkg/db/jobs.go:593, running or launched through instance-id-index), markJobRequeued
/// (jobs.go:1220) and rollbackRequeueFlip (pkg/housekeeping/requeue.go:681). Each write also
/// names the instance, so a record re-dispatched to another instance meanwhile is never touched.</summary>
internal static class RequeueRequests
{
    /// <summary>
    /// Statuses a failed bootstrap requeues from (GetJobByInstance's filter, markJobRequeued's condition).
    /// </summary>
    public static readonly IReadOnlyList<string> RequeueableStatuses = [JobRecord.Running, JobRecord.Launched];

    /// <summary>One page of the instance's running or launched jobs, with the fields a requeue message needs.</summary>
    public static QueryRequest CandidatesPage(
        JobsTableOptions table, string instanceId, Dictionary<string, AttributeValue>? startKey)
    {
        ArgumentNullException.ThrowIfNull(table);
        return JobsIndexQuery.Page(
            table,
            table.InstanceIdIndex,
            "#instance_id = :instance_id",
            "#job_id, #run_id, #repo, #instance_type, #pool, #retry_count, #status, #original_label",
            new()
            {
                [":instance_id"] = new() { S = instanceId },
                [":running"] = new() { S = JobRecord.Running },
                [":launched"] = new() { S = JobRecord.Launched },
            },
            startKey,
            filter: "#status IN (:running, :launched)");
    }

    /// <summary>Flip to requeued with requeued_at, only while the record is this instance's, running or
    /// launched, and under the requeue cap (so a stale index read can never requeue past it);
    /// returns the item as it was before (ALL_OLD), which the message is built from.</summary>
    public static UpdateItemRequest Flip(string tableName, MarkJobRequeuedRequest request, string requeuedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JobAttributes.Update(
            tableName,
            request.JobId,
            "SET #status = :requeued, #requeued_at = :requeued_at",
            "#instance_id = :instance_id AND #status IN (:running, :launched)"
                + " AND (attribute_not_exists(#retry_count) OR #retry_count < :max_requeues)",
            new()
            {
                [":instance_id"] = new() { S = request.InstanceId },
                [":requeued"] = new() { S = JobRecord.Requeued },
                [":requeued_at"] = new() { S = requeuedAt },
                [":running"] = new() { S = JobRecord.Running },
                [":launched"] = new() { S = JobRecord.Launched },
                [":max_requeues"] = new()
                {
                    N = RequeueCandidate.MaxBootstrapRequeues.ToString(CultureInfo.InvariantCulture),
                },
            },
            ReturnValue.ALL_OLD);
    }

    /// <summary>Undo of a flip: back to the status it had, requeued_at removed, only while the record is
    /// still the requeued one this flip wrote (same instance, same requeued_at); a record that moved
    /// on (claimed, re-dispatched) belongs to whoever moved it.</summary>
    public static UpdateItemRequest Undo(string tableName, UndoJobRequeuedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JobAttributes.Update(
            tableName,
            request.JobId,
            "SET #status = :restore REMOVE #requeued_at",
            "#instance_id = :instance_id AND #status = :requeued AND #requeued_at = :requeued_at",
            new()
            {
                [":instance_id"] = new() { S = request.InstanceId },
                [":restore"] = new() { S = request.RestoreStatus },
                [":requeued"] = new() { S = JobRecord.Requeued },
                [":requeued_at"] = new() { S = request.RequeuedAt },
            },
            ReturnValue.ALL_NEW);
    }

    /// <summary>Consistent read of status and instance, to say why a condition failed.</summary>
    public static GetItemRequest Read(string tableName, long jobId) =>
        JobAttributes.Get(tableName, jobId, "#status, #instance_id");

    /// <summary>The requeue fields of an item as runs-fleet reads them (missing number 0, missing string "").</summary>
    public static RequeueCandidate ToCandidate(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new RequeueCandidate(
            JobAttributes.Number(item, JobRecord.JobId) ?? 0,
            JobAttributes.Number(item, JobRecord.RunId) ?? 0,
            JobAttributes.Text(item, JobRecord.Repo) ?? string.Empty,
            JobAttributes.Text(item, JobRecord.InstanceType) ?? string.Empty,
            JobAttributes.Text(item, JobRecord.Pool) ?? string.Empty,
            (int)Math.Clamp(JobAttributes.Number(item, JobRecord.RetryCount) ?? 0, int.MinValue, int.MaxValue),
            JobAttributes.Text(item, JobRecord.Status) ?? string.Empty,
            JobAttributes.Text(item, JobRecord.OriginalLabel) ?? string.Empty);
    }
}
