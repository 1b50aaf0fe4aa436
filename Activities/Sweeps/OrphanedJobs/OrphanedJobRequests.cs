using System.Globalization;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>
/// The DynamoDB requests of the orphaned-job sweep. Attribute names go through placeholders
/// because status (and others) are DynamoDB reserved words.
/// </summary>
internal static class OrphanedJobRequests
{
    /// <summary>
    /// One page of the jobs in <see cref="OrphanedJobScanRequest.Status"/> created before the
    /// grace cutoff, oldest first, from the status index (keys and instance_id are all it needs).
    /// </summary>
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

    /// <summary>
    /// Marks one job orphaned, on condition that it still has the status and the instance it
    /// was read with: a job that finished, was re-assigned or deleted since is left alone.
    /// </summary>
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

        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = new() { [JobRecord.JobId] = new AttributeValue { N = job.JobId.ToString(CultureInfo.InvariantCulture) } },
            UpdateExpression = "SET #status = :orphaned, #completed_at = :completed_at, #orphan_reason = :orphan_reason",
            ConditionExpression = $"attribute_exists(#job_id) AND #status = :read_status AND {instanceCondition}",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

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

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;
}
