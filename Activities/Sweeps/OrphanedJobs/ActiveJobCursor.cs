using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>Where a status-created_at-index query stopped: the LastEvaluatedKey of a page (table key job_id plus
/// the index keys status and created_at) as a small value that travels through the history.</summary>
/// <param name="JobId">job_id as DynamoDB's number text.</param>
/// <param name="Status">The index partition.</param>
/// <param name="CreatedAt">The index sort key.</param>
public sealed record ActiveJobCursor(string JobId, string Status, string CreatedAt)
{
    /// <summary>The ExclusiveStartKey that resumes the query after this position.</summary>
    public Dictionary<string, AttributeValue> ToExclusiveStartKey() => StatusIndexKey.Of(JobId, Status,
        JobRecord.CreatedAt, CreatedAt);

    /// <summary>Reads a query's LastEvaluatedKey; null when the query is complete.</summary>
    public static ActiveJobCursor? FromLastEvaluatedKey(IReadOnlyDictionary<string, AttributeValue>? key) =>
        StatusIndexKey.Read(key, JobRecord.CreatedAt) is { } read ? new ActiveJobCursor(read.JobId, read.Status,
            read.SortValue) : null;
}
