using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>One page of an instance's job records through the jobs table's instance-id-index (job id
/// and status only). Shared by the sweeps' fail-closed <see cref="Sweeps.Fleet.ActiveJobFinder"/> and
/// JobTermination's lookup of a job the agent could not name.</summary>
internal static class InstanceJobQuery
{
    /// <summary>The Query of the page after <paramref name="startKey"/> (null: the first page).</summary>
    public static QueryRequest Page(JobsTableOptions table, string instanceId, Dictionary<string,
        AttributeValue>? startKey)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new QueryRequest
        {
            TableName = table.TableName,
            IndexName = table.InstanceIdIndex,
            KeyConditionExpression = "#iid = :iid",
            ProjectionExpression = "#jid, #st, #cat",
            ExpressionAttributeNames = new()
            {
                ["#iid"] = JobRecord.InstanceId,
                ["#jid"] = JobRecord.JobId,
                ["#st"] = JobRecord.Status,
                ["#cat"] = JobRecord.CompletedAt,
            },
            ExpressionAttributeValues = new() { [":iid"] = new AttributeValue { S = instanceId } },
            ExclusiveStartKey = startKey,
        };
    }

    /// <summary>The key of the next page, or null when this was the last (SDK v4 leaves it null or empty).</summary>
    public static Dictionary<string, AttributeValue>? NextKey(QueryResponse response) =>
        response?.LastEvaluatedKey is { Count: > 0 } key ? key : null;

    /// <summary>Job id and status of one item (null for what the item lacks).</summary>
    public static (long? JobId, string? Status) Read(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        long? jobId = item.TryGetValue(JobRecord.JobId, out var id)
            && long.TryParse(id.N ?? id.S, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
        var status = item.TryGetValue(JobRecord.Status, out var value)
            && !string.IsNullOrEmpty(value.S) ? value.S : null;
        return (jobId, status);
    }

    /// <summary>completed_at of one item; null when it has none or it does not parse.</summary>
    public static DateTimeOffset? ReadCompletedAt(Dictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.TryGetValue(JobRecord.CompletedAt, out var value) ? JobRecord.ParseTimestamp(value.S) : null;
    }
}
