using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

/// <summary>One dynalite and one fauxqs shared by the archival tests (each test makes its own table and bucket).</summary>
[CollectionDefinition(Name)]
public sealed class ArchivalEmulators : ICollectionFixture<DynaliteFixture>, ICollectionFixture<FauxqsFixture>
{
    public const string Name = "Sweeps.Archival emulators";
}

/// <summary>A job record to seed.</summary>
public sealed record SeedJob(long JobId, string Status, string CompletedAt, string InstanceId = "i-0123456789abcdef0");

/// <summary>Seeds job records straight through the real client (not counted by the tests' wrappers).</summary>
public static class JobsSeeder
{
    public static async Task PutAsync(IAmazonDynamoDB dynamo, string table, IEnumerable<SeedJob> jobs)
    {
        foreach (var group in jobs.Chunk(25))
        {
            var writes = group.Select(j => new WriteRequest
            {
                PutRequest = new PutRequest
                {
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [JobRecord.JobId] = new() { N = j.JobId.ToString() },
                        [JobRecord.Status] = new() { S = j.Status },
                        [JobRecord.CompletedAt] = new() { S = j.CompletedAt },
                        [JobRecord.InstanceId] = new() { S = j.InstanceId },
                        [JobRecord.Pool] = new() { S = "default" },
                        [JobRecord.ExitCode] = new() { N = "0" },
                    },
                },
            }).ToList();
            var response = await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = writes } });
            Assert.True(response.UnprocessedItems is null || response.UnprocessedItems.Count == 0);
        }
    }

    /// <summary>Every job_id left in the table, sorted.</summary>
    public static async Task<List<long>> RemainingAsync(IAmazonDynamoDB dynamo, string table)
    {
        var ids = new List<long>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start });
            ids.AddRange((page.Items ?? []).Select(i => long.Parse(i[JobRecord.JobId].N)));
            start = page.LastEvaluatedKey is { Count: > 0 } key ? key : null;
        }
        while (start is not null);

        ids.Sort();
        return ids;
    }
}
