using System.Globalization;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>The DynamoDB requests of the orphaned-job sweep. Attribute names go through placeholders
/// because status (and others) are DynamoDB reserved words.</summary>
internal static class OrphanedJobRequests
{
    /// <summary>One page of the jobs in <see cref="OrphanedJobScanRequest.Status"/> created before the
    /// grace cutoff, oldest first, from the status index (keys and instance_id are all it needs).</summary>
    public static QueryRequest Page(JobsTableOptions table, OrphanedJobScanRequest request) => new()
    {
        TableName = table.TableName,
        IndexName = table.ActiveJobsIndex,
        KeyConditionExpression = "#status = :status AND #created_at < :created_before",
        ProjectionExpression = "#job_id, #status, #created_at, #instance_id",
        ExpressionAttributeNames = new()
        {
            ["#job_id"] = JobRecord.JobId,
            ["#status"] = JobRecord.Status,
            ["#created_at"] = JobRecord.CreatedAt,
            ["#instance_id"] = JobRecord.InstanceId,
        },
        ExpressionAttributeValues = new()
        {
            [":status"] = new AttributeValue { S = request.Status },
            [":created_before"] = new AttributeValue { S = request.CreatedBefore },
        },
        Limit = request.PageSize,
        ExclusiveStartKey = request.Cursor?.ToExclusiveStartKey(),
    };

    /// <summary>Marks one job orphaned, on condition that it still has the status and the instance it
    /// was read with (and, requeued, the requeued_at it was judged by): a job that finished, was
    /// re-assigned, re-dispatched or deleted since is left alone. Like runs-fleet's MarkJobOrphaned
    /// (pkg/housekeeping/orphans.go:335-369) the same write REMOVEs pool: records written before
    /// runs-fleet #227 hold pool = "", which pool-status-index cannot hold, so DynamoDB refuses any
    /// update of their status while it stays (commit 2181619). REMOVE of an absent pool is a no-op.</summary>
    public static UpdateItemRequest Mark(string tableName, OrphanedJobCandidate job, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        var names = new Dictionary<string, string>
        {
            ["#job_id"] = JobRecord.JobId,
            ["#status"] = JobRecord.Status,
            ["#instance_id"] = JobRecord.InstanceId,
            ["#completed_at"] = JobRecord.CompletedAt,
            ["#orphan_reason"] = JobRecord.OrphanReason,
            ["#pool"] = JobRecord.Pool,
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":read_status"] = new() { S = job.Status },
            [":orphaned"] = new() { S = JobRecord.Orphaned },
            [":completed_at"] = new() { S = JobRecord.FormatTimestamp(completedAt) },
            [":orphan_reason"] = new() { S = job.Reason },
        };
        string instanceCondition;
        if (job.InstanceId is { } instanceId)
        {
            values[":read_instance_id"] = new() { S = instanceId };
            instanceCondition = "#instance_id = :read_instance_id";
        }
        else
        {
            instanceCondition = "attribute_not_exists(#instance_id)";
        }

        if (job.RequeuedAt is { } requeuedAt)
        {
            names["#requeued_at"] = JobRecord.RequeuedAt;
            values[":read_requeued_at"] = new() { S = requeuedAt };
            instanceCondition += " AND #requeued_at = :read_requeued_at";
        }

        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = new()
            {
                [JobRecord.JobId] = new AttributeValue { N = job.JobId.ToString(CultureInfo.InvariantCulture) },
            },
            UpdateExpression = "SET #status = :orphaned, #completed_at = :completed_at, #orphan_reason = "
                + ":orphan_reason "
                + "REMOVE #pool",
            ConditionExpression = $"attribute_exists(#job_id) AND #status = :read_status AND {instanceCondition}",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
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
                Keys = [.. jobIds.Select(id => new Dictionary<string, AttributeValue>
                {
                    [JobRecord.JobId] = new() { N = id.ToString(CultureInfo.InvariantCulture) },
                })],
                ProjectionExpression = "#job_id, #status, #requeued_at",
                ExpressionAttributeNames = new()
                {
                    ["#job_id"] = JobRecord.JobId,
                    ["#status"] = JobRecord.Status,
                    ["#requeued_at"] = JobRecord.RequeuedAt,
                },
            },
        },
    };

    /// <summary>The fields the rules need from an index item; null fields when absent or unreadable.</summary>
    public static (long? JobId, string? InstanceId, string? CreatedAt) Read(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        long? jobId = item.TryGetValue(JobRecord.JobId, out var id)
            && long.TryParse(id.N, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : null;
        return (jobId, Text(item, JobRecord.InstanceId), Text(item, JobRecord.CreatedAt));
    }

    /// <summary>job_id, status and requeued_at of a BatchGetItem item; null fields when absent or unreadable.</summary>
    public static (long? JobId, string? Status, string? RequeuedAt) ReadRequeued(
        Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (Read(item).JobId, Text(item, JobRecord.Status), Text(item, JobRecord.RequeuedAt));
    }

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;
}
