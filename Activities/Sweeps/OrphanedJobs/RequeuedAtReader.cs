using Amazon.DynamoDBv2;
using RunsFleet.Activities.Aws;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>Reads requeued_at of requeued jobs from the table, 100 keys per BatchGetItem (DynamoDB's limit).
/// Keys DynamoDB leaves unprocessed (throttling) are asked again a few times; if any stay, the
/// page fails and Temporal retries it: a requeued job is never judged without its requeued_at.</summary>
internal static class RequeuedAtReader
{
    /// <summary>Keys one BatchGetItem takes.</summary>
    public const int MaxKeysPerRequest = 100;

    private const int MaxAttempts = 5;

    /// <summary>job_id -> (status, requeued_at) of the records that exist; a deleted record is absent. No ids: no
    /// call.</summary>
    public static async Task<IReadOnlyDictionary<long, (string? Status, string? RequeuedAt)>> ReadAsync(
        IAmazonDynamoDB dynamo, string tableName, IReadOnlyCollection<long> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        ArgumentNullException.ThrowIfNull(jobIds);
        var records = new Dictionary<long, (string?, string?)>();
        foreach (var batch in jobIds.Distinct().Chunk(MaxKeysPerRequest))
        {
            var request = OrphanedJobRequests.RequeuedAt(tableName, batch);
            for (var attempt = 1; ; attempt++)
            {
                var response = await AwsCall.RunAsync(
                    "BatchGetItem", () => dynamo.BatchGetItemAsync(request, cancellationToken));
                foreach (var item in response.Responses?.GetValueOrDefault(tableName) ?? [])
                {
                    if (OrphanedJobRequests.ReadRequeued(item) is { JobId: { } id } read)
                    {
                        records[id] = (read.Status, read.RequeuedAt);
                    }
                }

                if (response.UnprocessedKeys?.GetValueOrDefault(tableName) is not { Keys.Count: > 0 } left)
                {
                    break;
                }

                if (attempt == MaxAttempts)
                {
                    throw new ApplicationFailureException(
                        $"BatchGetItem left {left.Keys.Count} requeued jobs unread after {MaxAttempts} attempts",
                        errorType: "UnprocessedKeys");
                }

                request.RequestItems[tableName] = left;
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
            }
        }

        return records;
    }
}
