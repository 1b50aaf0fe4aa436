using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>One page of an instance's job records through the jobs table's instance-id-index (job id
/// and status only). Shared by the sweeps' fail-closed <see cref="Sweeps.Fleet.ActiveJobFinder"/> and
/// JobTermination's lookup of a job the agent could not name.</summary>
internal static class InstanceJobQuery
{
    /// <summary>The Query of the page after <paramref name="startKey"/> (null: the first page).</summary>
    public static QueryRequest Page(JobsTableOptions table, string instanceId, Dictionary<string,
        AttributeValue>? startKey) =>
        JobsIndexQuery.Page(
            table,
            table.InstanceIdIndex,
            "#instance_id = :instance_id",
            "#job_id, #status, #completed_at",
            new() { [":instance_id"] = new AttributeValue { S = instanceId } },
            startKey);

    /// <summary>The key of the next page, or null when this was the last (SDK v4 leaves it null or empty).</summary>
    public static Dictionary<string, AttributeValue>? NextKey(QueryResponse response) =>
        response?.LastEvaluatedKey is { Count: > 0 } key ? key : null;

    /// <summary>Job id and status of one item (null for what the item lacks).</summary>
    public static (long? JobId, string? Status) Read(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (JobAttributes.Number(item, JobRecord.JobId), JobAttributes.Text(item, JobRecord.Status));
    }

    /// <summary>completed_at of one item; null when it has none or it does not parse.</summary>
    public static DateTimeOffset? ReadCompletedAt(Dictionary<string, AttributeValue> item) =>
        JobRecord.ParseTimestamp(JobAttributes.Text(item, JobRecord.CompletedAt));
}
