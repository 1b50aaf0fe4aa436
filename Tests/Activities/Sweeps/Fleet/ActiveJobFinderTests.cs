using Amazon.DynamoDBv2;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Sweeps.Fleet;

public class ActiveJobFinderTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task Tells_active_finished_unknown_and_ambiguous_instances_apart()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using var dynamo = dynalite.CreateClient();
        await JobsTableSeed.PutJobsAsync(dynamo, table,
        [
            (1, "i-finished", "completed"),
            (2, "i-finished", "failed"),
            (3, "i-warm", "completed"),
            (4, "i-warm", "running"),
            (5, "i-nostatus", null),
            (6, "i-interrupted", "interrupted"),
        ]);
        var finder = new ActiveJobFinder(dynamo, new JobsTableOptions { TableName = table });

        Assert.Equal(JobLookup.None, await finder.FindAsync("i-finished", CancellationToken.None));
        Assert.Equal(JobLookup.None, await finder.FindAsync("i-interrupted", CancellationToken.None));
        Assert.Equal(JobLookup.None, await finder.FindAsync("i-never-had-a-job", CancellationToken.None));
        Assert.Equal(JobLookup.Active(4, "running"), await finder.FindAsync("i-warm", CancellationToken.None));

        var ambiguous = await finder.FindAsync("i-nostatus", CancellationToken.None);
        Assert.Equal(JobLookupOutcome.Failed, ambiguous.Outcome);
        Assert.Contains("no status", ambiguous.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_lookup_is_reported_not_thrown()
    {
        using var dynamo = dynalite.CreateClient();
        var finder = new ActiveJobFinder(dynamo, new JobsTableOptions { TableName = "no-such-table" });

        var lookup = await finder.FindAsync("i-0abc", CancellationToken.None);

        Assert.Equal(JobLookupOutcome.Failed, lookup.Outcome);
        Assert.Contains("ResourceNotFoundException", lookup.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_lookups_make_one_query_per_instance()
    {
        var table = await dynalite.CreateJobsTableAsync();
        using (var seed = dynalite.CreateClient())
        {
            await JobsTableSeed.PutJobsAsync(seed, table, Enumerable.Range(0, 120).Select(i => ((long)i, $"i-{i:D4}", (string?)(i % 10 == 0 ? "running" : "completed"))));
        }

        var counter = new CountingHttpClientFactory();
        using var dynamo = new AmazonDynamoDBClient(
            AwsClients.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter });
        var finder = new ActiveJobFinder(dynamo, new JobsTableOptions { TableName = table });
        var heartbeats = 0;

        var lookups = await finder.FindManyAsync(
            Enumerable.Range(0, 120).Select(i => $"i-{i:D4}").Concat(["i-0000"]).ToList(), 8, () => Interlocked.Increment(ref heartbeats), CancellationToken.None);

        Assert.Equal(120, lookups.Count);
        Assert.Equal(12, lookups.Values.Count(l => l.Outcome == JobLookupOutcome.ActiveJob));
        Assert.Equal(120, counter.Count("Query"));
        Assert.Equal(120, heartbeats);
    }
}
