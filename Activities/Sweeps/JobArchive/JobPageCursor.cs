using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Where a completed_at-index query stopped: the LastEvaluatedKey of a page as a small
/// serializable value (table key job_id plus the index keys status and completed_at), so
/// it can travel through workflow history and continue-as-new.</summary>
/// <param name="JobId">job_id as DynamoDB's number text.</param>
/// <param name="Status">The index partition (a terminal status).</param>
/// <param name="CompletedAt">The index sort key.</param>
public sealed record JobPageCursor(string JobId, string Status, string CompletedAt)
{
    /// <summary>The ExclusiveStartKey that resumes the query after this position.</summary>
    public Dictionary<string, AttributeValue> ToExclusiveStartKey() => StatusIndexKey.Of(JobId, Status,
        JobRecord.CompletedAt, CompletedAt);

    /// <summary>Reads a query's LastEvaluatedKey; null when the query is complete.</summary>
    public static JobPageCursor? FromLastEvaluatedKey(IReadOnlyDictionary<string, AttributeValue>? key) =>
        StatusIndexKey.Read(key, JobRecord.CompletedAt) is { } read ? new JobPageCursor(read.JobId, read.Status,
            read.SortValue) : null;
}
