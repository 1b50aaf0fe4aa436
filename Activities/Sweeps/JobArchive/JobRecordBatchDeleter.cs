using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Deleted count and the job ids DynamoDB still had not processed after every attempt.</summary>
internal sealed record BatchDeleteOutcome(int Deleted, IReadOnlyList<string> UnprocessedJobIds);

/// <summary>Deletes job records by key with BatchWriteItem, 25 per request (the API limit), a few
/// requests in flight at once. DynamoDB
/// may leave part of a batch unprocessed when it is throttled; those items are retried
/// with doubling backoff for a bounded number of attempts, and whatever is still left is
/// returned so the sweep reports it instead of failing.</summary>
internal sealed class JobRecordBatchDeleter
{
    /// <summary>Write requests BatchWriteItem accepts at once.</summary>
    public const int BatchSize = 25;

    /// <summary>BatchWriteItem calls in flight at once: a page of 500 records is 20 calls, which one after
    /// another spend most of their time waiting on round trips; three overlap them without
    /// bursting past what a provisioned table absorbs (throttled items are retried per batch).</summary>
    public const int BatchesInFlight = 3;

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly IAmazonDynamoDB _dynamo;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;
    private readonly TimeSpan _firstDelay;

    public JobRecordBatchDeleter(IAmazonDynamoDB dynamo, TimeProvider time, int maxAttempts, TimeSpan firstDelay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAttempts);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _maxAttempts = maxAttempts;
        _firstDelay = firstDelay;
    }

    /// <summary>Deletes the records with these job_id values (DynamoDB number text) from <paramref name="tableName"/>,
    /// <see cref="BatchesInFlight"/> batches at a time. Each batch retries its own unprocessed items, so a
    /// throttled batch backs off without holding up the others. The unprocessed ids come back in the
    /// order of <paramref name="jobIds"/>.</summary>
    public async Task<BatchDeleteOutcome> DeleteAsync(string tableName, IReadOnlyList<string> jobIds, Action? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var groups = jobIds.Chunk(BatchSize).ToArray();
        var outcomes = new BatchDeleteOutcome[groups.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = BatchesInFlight,
            CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, groups.Length), parallel, async (index, ct) =>
        {
            outcomes[index] = await DeleteGroupAsync(tableName, groups[index], progress, ct);
        });

        return new BatchDeleteOutcome(outcomes.Sum(o => o.Deleted), [.. outcomes.SelectMany(o => o.UnprocessedJobIds)]);
    }

    // One batch of up to 25: written, then its unprocessed items retried with backoff.
    private async Task<BatchDeleteOutcome> DeleteGroupAsync(string tableName, string[] group, Action? progress,
        CancellationToken cancellationToken)
    {
        var deleted = 0;
        var pending = group.Select(DeleteOf).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var left = await WriteAsync(tableName, pending, cancellationToken);
            deleted += pending.Count - left.Count;
            pending = left;
            progress?.Invoke();
            if (pending.Count == 0 || attempt >= _maxAttempts)
            {
                break;
            }

            await Task.Delay(DelayBefore(attempt + 1), _time, cancellationToken);
        }

        return new BatchDeleteOutcome(deleted, [.. pending.Select(JobIdOf)]);
    }

    // Backoff before the given attempt: first delay, doubling, capped.
    private TimeSpan DelayBefore(int attempt)
    {
        var factor = Math.Pow(2, attempt - 2);
        var delay = TimeSpan.FromMilliseconds(_firstDelay.TotalMilliseconds * factor);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    // Returns the requests DynamoDB left unprocessed; a throttled request leaves all of them.
    private async Task<List<WriteRequest>> WriteAsync(string tableName, List<WriteRequest> requests,
        CancellationToken cancellationToken)
    {
        return await AwsCall.RunAsync("BatchWriteItem", async () =>
        {
            try
            {
                var response = await _dynamo.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [tableName] = requests } },
                    cancellationToken);
                return response.UnprocessedItems is { } left && left.TryGetValue(tableName, out var mine)
                    && mine is not null
                    ? mine
                    : [];
            }
            catch (AmazonServiceException ex) when (AwsFailures.IsThrottling(ex))
            {
                return requests;
            }
        });
    }

    private static WriteRequest DeleteOf(string jobId) => new()
    {
        DeleteRequest = new DeleteRequest { Key = new() { [JobRecord.JobId] = new AttributeValue { N = jobId } } },
    };

    private static string JobIdOf(WriteRequest request) =>
        request.DeleteRequest?.Key is { } key && key.TryGetValue(JobRecord.JobId, out var id) ? id.N ?? "?" : "?";
}
