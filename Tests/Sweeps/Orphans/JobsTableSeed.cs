using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Tests.Sweeps.Orphans;

/// <summary>Writes job records into a dynalite jobs table, 25 per BatchWriteItem.</summary>
public static class JobsTableSeed
{
    public static Task PutJobsAsync(IAmazonDynamoDB dynamo, string table, IEnumerable<(long JobId, string InstanceId, string? Status)> jobs) =>
        PutJobsAsync(dynamo, table, jobs.Select(j => (j.JobId, j.InstanceId, j.Status, (DateTimeOffset?)null)));

    /// <summary>Writes job records with their completed_at (null: none written).</summary>
    public static async Task PutJobsAsync(
        IAmazonDynamoDB dynamo, string table, IEnumerable<(long JobId, string InstanceId, string? Status, DateTimeOffset? CompletedAt)> jobs)
    {
        foreach (var batch in jobs.Chunk(25))
        {
            var writes = batch.Select(job =>
            {
                var item = new Dictionary<string, AttributeValue>
                {
                    [JobRecord.JobId] = new() { N = job.JobId.ToString(CultureInfo.InvariantCulture) },
                    [JobRecord.InstanceId] = new() { S = job.InstanceId },
                    // runs-fleet writes created_at on every record; the status index is keyed on it.
                    ["created_at"] = new() { S = JobRecord.FormatTimestamp(DateTimeOffset.UtcNow) },
                };
                if (job.Status is not null)
                {
                    item[JobRecord.Status] = new() { S = job.Status };
                }

                if (job.CompletedAt is { } completed)
                {
                    item[JobRecord.CompletedAt] = new() { S = JobRecord.FormatTimestamp(completed) };
                }

                return new WriteRequest { PutRequest = new PutRequest { Item = item } };
            }).ToList();
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = writes };
            while (pending.Count > 0)
            {
                var response = await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending });
                pending = response.UnprocessedItems ?? [];
            }
        }
    }
}
