using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Sweeps.Orphans;
using Temporalio.Testing;

namespace RunsFleet.Tests.Sweeps.Orphans;

/// <summary>Builds OrphanSweepActivities over the fakes and drives a scan the way the workflow does.</summary>
internal static class OrphanSweepDriver
{
    public static OrphanSweepActivities Activities(
        DynaliteFixture dynalite, FakeEc2Server ec2, string table, CountingHttpClientFactory counter, OrphanSweepOptions? options = null, RecordingMetricsSink? sink = null)
    {
        var dynamo = new AmazonDynamoDBClient(
            AwsClients.Credentials,
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = counter });
        return new OrphanSweepActivities(
            AwsClients.Ec2(ec2.ServiceUrl, maxErrorRetry: 0),
            dynamo,
            Options.Create(options ?? new OrphanSweepOptions()),
            Options.Create(new JobsTableOptions { TableName = table }),
            sink ?? new RecordingMetricsSink(),
            NullLogger<OrphanSweepActivities>.Instance);
    }

    /// <summary>Every listing page of the sweep planned for <paramref name="now"/>, with the workflow's progress record.</summary>
    public static async Task<OrphanSweepProgress> ScanAsync(OrphanSweepActivities activities, DateTimeOffset now)
    {
        var env = new ActivityEnvironment();
        var plan = await activities.PlanOrphanSweepAsync(new OrphanPlanRequest(now, null, null, null));
        var progress = OrphanSweepProgress.Start(plan);
        while (!progress.ScanDone)
        {
            var request = new OrphanScanRequest(progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots)
            {
                Listing = progress.Listing,
                Phases = plan.Phases,
            };
            progress = progress.Add(await env.RunAsync(() => activities.ScanOrphanPageAsync(request)));
        }

        return progress;
    }

    /// <summary>Terminates the collected orphans in the plan's batches; the outcomes of every batch.</summary>
    public static async Task<List<OrphanInstanceReport>> TerminateAsync(OrphanSweepActivities activities, OrphanSweepProgress progress)
    {
        var env = new ActivityEnvironment();
        var outcomes = new List<OrphanInstanceReport>();
        foreach (var batch in progress.Orphans.Chunk(progress.Plan.TerminateBatchSize))
        {
            outcomes.AddRange((await env.RunAsync(() => activities.TerminateOrphansAsync(new OrphanTerminateRequest(batch)))).Outcomes);
        }

        return outcomes;
    }
}
