using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Tests.Activities;

/// <summary>Writes job records into a dynalite jobs table, 25 per BatchWriteItem.</summary>
public static class JobsTableSeed
{
    public static Task PutJobsAsync(IAmazonDynamoDB dynamo, string table, IEnumerable<(long JobId, string InstanceId, string? Status)> jobs) =>
        PutJobsAsync(dynamo, table, jobs.Select(j => (j.JobId, j.InstanceId, j.Status, (DateTimeOffset?)null)));

    /// <summary>Writes job records with their completed_at (null: none written).</summary>
    public static async Task PutJobsAsync(
        IAmazonDynamoDB dynamo, string table, IEnumerable<(long JobId, string InstanceId, string? Status, DateTimeOffset? CompletedAt)> jobs)
    {
        // Each job gets its own created_at (a second apart by job id). dynalite breaks ties
        // between equal index keys with only a 24-bit hash of the table key, so thousands of
        // records created in the same second would overwrite each other in status-created_at-index
        // now and then (real DynamoDB keeps them all): that made index reads miss a job at random.
        var createdBase = DateTimeOffset.UtcNow;
        foreach (var batch in jobs.Chunk(25))
        {
            var writes = batch.Select(job =>
            {
                var item = new Dictionary<string, AttributeValue>
                {
                    [JobRecord.JobId] = new() { N = job.JobId.ToString(CultureInfo.InvariantCulture) },
                    [JobRecord.InstanceId] = new() { S = job.InstanceId },
                    // runs-fleet writes created_at on every record; the status index is keyed on it.
                    ["created_at"] = new() { S = JobRecord.FormatTimestamp(createdBase.AddSeconds(-job.JobId)) },
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
