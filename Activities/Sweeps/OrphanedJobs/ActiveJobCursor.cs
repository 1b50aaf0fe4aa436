using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>
/// Where a status-created_at-index query stopped: the LastEvaluatedKey of a page (table key job_id plus
/// the index keys status and created_at) as a small value that travels through the history.
/// </summary>
/// <param name="JobId">job_id as DynamoDB's number text.</param>
/// <param name="Status">The index partition.</param>
/// <param name="CreatedAt">The index sort key.</param>
public sealed record ActiveJobCursor(string JobId, string Status, string CreatedAt)
{
    /// <summary>The ExclusiveStartKey that resumes the query after this position.</summary>
    public Dictionary<string, AttributeValue> ToExclusiveStartKey() => new(StringComparer.Ordinal)
    {
        [JobRecord.JobId] = new AttributeValue { N = JobId },
        [JobRecord.Status] = new AttributeValue { S = Status },
        [JobRecord.CreatedAt] = new AttributeValue { S = CreatedAt },
    };

    /// <summary>Reads a query's LastEvaluatedKey; null when the partition is done.</summary>
    public static ActiveJobCursor? FromLastEvaluatedKey(IReadOnlyDictionary<string, AttributeValue>? key)
    {
        if (key is null || key.Count == 0)
        {
            return null;
        }

        if (!key.TryGetValue(JobRecord.JobId, out var jobId) || jobId.N is null
            || !key.TryGetValue(JobRecord.Status, out var status) || status.S is null
            || !key.TryGetValue(JobRecord.CreatedAt, out var createdAt) || createdAt.S is null)
        {
            throw new InvalidOperationException(
                $"Unexpected LastEvaluatedKey attributes ({string.Join(", ", key.Keys)}): the status index must be keyed by status and created_at on a table keyed by job_id");
        }

        return new ActiveJobCursor(jobId.N, status.S, createdAt.S);
    }
}
