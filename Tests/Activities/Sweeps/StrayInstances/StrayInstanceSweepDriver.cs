extern alias benchmarks;

using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using Temporalio.Testing;
using SweepDriver = benchmarks::RunsFleet.Benchmarks.Sweeps.Drivers.StrayInstanceSweepDriver;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

/// <summary>Builds StrayInstanceSweepActivities over the fakes; the benchmark's driver drives them in the workflow's order.</summary>
internal static class StrayInstanceSweepDriver
{
    /// <summary>
    /// The activities over the jobs table <paramref name="table"/> and a pools table: a new empty one as
    /// runs-fleet's dynamodb.tf creates it, unless <paramref name="options"/> names one already made.
    /// </summary>
    public static async Task<StrayInstanceSweepActivities> ActivitiesAsync(
        DynaliteFixture dynalite, FakeEc2Server ec2, string table, CountingHttpClientFactory counter, StrayInstanceSweepOptions? options = null, RecordingMetricsSink? sink = null)
    {
        options ??= new StrayInstanceSweepOptions();
        if (options.PoolsTableName == new StrayInstanceSweepOptions().PoolsTableName)
        {
            options.PoolsTableName = await dynalite.CreatePoolsTableAsync();
        }

        return Activities(dynalite, ec2, table, counter, options, sink);
    }

    /// <summary>The activities over the tables <paramref name="table"/> and <paramref name="options"/>' pools table, as they are.</summary>
    public static StrayInstanceSweepActivities Activities(
        DynaliteFixture dynalite, FakeEc2Server ec2, string table, CountingHttpClientFactory counter, StrayInstanceSweepOptions options, RecordingMetricsSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(dynalite);
        ArgumentNullException.ThrowIfNull(ec2);
        var dynamo = new AmazonDynamoDBClient(
            AwsClients.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter });
        return new StrayInstanceSweepActivities(
            AwsClients.Ec2(ec2.ServiceUrl, maxErrorRetry: 0),
            dynamo,
            Options.Create(options),
            Options.Create(new JobsTableOptions { TableName = table }),
            sink ?? new RecordingMetricsSink(),
            NullLogger<StrayInstanceSweepActivities>.Instance);
    }

    /// <summary>Every listing page of the sweep planned for <paramref name="now"/>, with the workflow's progress record.</summary>
    public static async Task<StrayInstanceSweepContinuation> ScanAsync(StrayInstanceSweepActivities activities, DateTimeOffset now) =>
        (await SweepDriver.Steps(activities, now).ScanAsync()).State;

    /// <summary>Terminates the collected orphans in the plan's batches; the outcomes of every batch.</summary>
    public static Task<List<StrayInstanceReport>> TerminateAsync(
        StrayInstanceSweepActivities activities, StrayInstanceSweepContinuation progress) =>
        new ActivityEnvironment().RunAsync(() => SweepDriver.TerminateAsync(activities, progress));
}
