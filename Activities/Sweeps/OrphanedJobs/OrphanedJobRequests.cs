using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>The DynamoDB requests of the orphaned-job sweep. Attribute names go through placeholders
/// because status (and others) are DynamoDB reserved words.</summary>
internal static class OrphanedJobRequests
{
    /// <summary>One page of the jobs in <see cref="OrphanedJobScanRequest.Status"/> created before the
    /// grace cutoff, oldest first, from the status index (keys and instance_id are all it needs).</summary>
    public static QueryRequest Page(JobsTableOptions table, OrphanedJobScanRequest request) => JobsIndexQuery.Page(
        table,
        table.ActiveJobsIndex,
        "#status = :status AND #created_at < :created_before",
        "#job_id, #status, #created_at, #instance_id",
        new()
        {
            [":status"] = new AttributeValue { S = request.Status },
            [":created_before"] = new AttributeValue { S = request.CreatedBefore },
        },
        request.Cursor?.ToExclusiveStartKey(),
        request.PageSize);

    /// <summary>Marks one job orphaned, on condition that it still has the status and the instance it
    /// was read with (and, requeued, the requeued_at it was judged by): a job that finished, was
    /// re-assigned, re-dispatched or deleted since is left alone. Like runs-fleet's MarkJobOrphaned
    /// (pkg/housekeeping/orphans.go:335-369) the same write REMOVEs pool: records written before
    /// runs-fleet #227 hold pool = "", which pool-status-index cannot hold, so DynamoDB refuses any
    /// update of their status while it stays (commit 2181619). REMOVE of an absent pool is a no-op.</summary>
    public static UpdateItemRequest Mark(string tableName, OrphanedJobCandidate job, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        var values = new Dictionary<string, AttributeValue>
        {
            [":read_status"] = new() { S = job.Status },
            [":orphaned"] = new() { S = JobRecord.Orphaned },
            [":completed_at"] = new() { S = JobRecord.FormatTimestamp(completedAt) },
            [":orphan_reason"] = new() { S = job.Reason },
        };
        var condition = "attribute_exists(#job_id) AND #status = :read_status AND ";
        if (job.InstanceId is { } instanceId)
        {
            values[":read_instance_id"] = new() { S = instanceId };
            condition += "#instance_id = :read_instance_id";
        }
        else
        {
            condition += "attribute_not_exists(#instance_id)";
        }

        if (job.RequeuedAt is { } requeuedAt)
        {
            values[":read_requeued_at"] = new() { S = requeuedAt };
            condition += " AND #requeued_at = :read_requeued_at";
        }

        return JobAttributes.Update(
            tableName,
            job.JobId,
            "SET #status = :orphaned, #completed_at = :completed_at, #orphan_reason = :orphan_reason REMOVE #pool",
            condition,
            values);
    }

    /// <summary>Reads status and requeued_at of up to 100 jobs from the table (status-created_at-index does not
    /// project requeued_at). Eventually consistent: a stale answer can only make the mark's
    /// condition on requeued_at fail.</summary>
    public static BatchGetItemRequest RequeuedAt(string tableName, IEnumerable<long> jobIds) => new()
    {
        RequestItems = new()
        {
            [tableName] = new KeysAndAttributes
            {
                Keys = [.. jobIds.Select(JobAttributes.Key)],
                ProjectionExpression = "#job_id, #status, #requeued_at",
                ExpressionAttributeNames = JobAttributes.Names("#job_id, #status, #requeued_at"),
            },
        },
    };

    /// <summary>The fields the rules need from an index item; null fields when absent or unreadable.</summary>
    public static (long? JobId, string? InstanceId, string? CreatedAt) Read(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        // job_id is the table's Number key, so DynamoDB never answers it as text; a bad id is no job.
        long? jobId = JobAttributes.Number(item, JobRecord.JobId) is > 0 and var id ? id : null;
        return (jobId, JobAttributes.Text(item, JobRecord.InstanceId), JobAttributes.Text(item, JobRecord.CreatedAt));
    }

    /// <summary>job_id, status and requeued_at of a BatchGetItem item; null fields when absent or unreadable.</summary>
    public static (long? JobId, string? Status, string? RequeuedAt) ReadRequeued(
        Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (Read(item).JobId, JobAttributes.Text(item, JobRecord.Status),
            JobAttributes.Text(item, JobRecord.RequeuedAt));
    }
}
