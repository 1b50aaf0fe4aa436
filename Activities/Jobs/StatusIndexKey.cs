using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>The LastEvaluatedKey of a query on one of the jobs table's status-partitioned indexes
/// (completed_at-index, status-created_at-index): the table key job_id plus the index keys
/// status and a sort attribute. The sweeps keep it as a small cursor in their history.</summary>
internal static class StatusIndexKey
{
    /// <summary>The ExclusiveStartKey that resumes a query after this position.</summary>
    public static Dictionary<string, AttributeValue> Of(string jobId, string status, string sortAttribute,
        string sortValue) => new(StringComparer.Ordinal)
    {
        [JobRecord.JobId] = new AttributeValue { N = jobId },
        [JobRecord.Status] = new AttributeValue { S = status },
        [sortAttribute] = new AttributeValue { S = sortValue },
    };

    /// <summary>Reads a query's LastEvaluatedKey: null when the query is complete; throws when the
    /// key is not shaped like the index (a misconfigured index must not be paged blindly).</summary>
    public static (string JobId, string Status, string SortValue)? Read(IReadOnlyDictionary<string,
        AttributeValue>? key, string sortAttribute)
    {
        if (key is null || key.Count == 0)
        {
            return null;
        }

        if (!key.TryGetValue(JobRecord.JobId, out var jobId) || jobId.N is null
            || !key.TryGetValue(JobRecord.Status, out var status) || status.S is null
            || !key.TryGetValue(sortAttribute, out var sort) || sort.S is null)
        {
            throw new InvalidOperationException(
                $"Unexpected LastEvaluatedKey attributes ({string.Join(", ", key.Keys)}): the index must be keyed by "
                    + $"status and {sortAttribute} on a table keyed by job_id");
        }

        return (jobId.N, status.S, sort.S);
    }
}
