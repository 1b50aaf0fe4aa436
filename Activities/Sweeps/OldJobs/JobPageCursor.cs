using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.OldJobs;

/// <summary>
/// Where a completed_at-index query stopped: the LastEvaluatedKey of a page as a small
/// serializable value (table key job_id plus the index keys status and completed_at), so
/// it can travel through workflow history and continue-as-new.
/// </summary>
/// <param name="JobId">job_id as DynamoDB's number text.</param>
/// <param name="Status">The index partition (a terminal status).</param>
/// <param name="CompletedAt">The index sort key.</param>
public sealed record JobPageCursor(string JobId, string Status, string CompletedAt)
{
    /// <summary>The ExclusiveStartKey that resumes the query after this position.</summary>
    public Dictionary<string, AttributeValue> ToExclusiveStartKey() => new(StringComparer.Ordinal)
    {
        [JobRecord.JobId] = new AttributeValue { N = JobId },
        [JobRecord.Status] = new AttributeValue { S = Status },
        [JobRecord.CompletedAt] = new AttributeValue { S = CompletedAt },
    };

    /// <summary>Reads a query's LastEvaluatedKey; null when the query is complete.</summary>
    public static JobPageCursor? FromLastEvaluatedKey(IReadOnlyDictionary<string, AttributeValue>? key)
    {
        if (key is null || key.Count == 0)
        {
            return null;
        }

        if (!key.TryGetValue(JobRecord.JobId, out var jobId) || jobId.N is null
            || !key.TryGetValue(JobRecord.Status, out var status) || status.S is null
            || !key.TryGetValue(JobRecord.CompletedAt, out var completedAt) || completedAt.S is null)
        {
            throw new InvalidOperationException(
                $"Unexpected LastEvaluatedKey attributes ({string.Join(", ", key.Keys)}): the index must be keyed by status and completed_at on a table keyed by job_id");
        }

        return new JobPageCursor(jobId.N, status.S, completedAt.S);
    }
}
