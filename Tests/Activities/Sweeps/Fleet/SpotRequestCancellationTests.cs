using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.Fleet;

/// <summary>Spot requests of orphans are cancelled before the orphans are terminated.</summary>
public class SpotRequestCancellationTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    private static readonly DateTimeOffset Launched = DateTimeOffset.UtcNow.AddDays(-1);
    private static readonly Dictionary<string, string> Managed = new() { [FleetTags.Managed] = "true" };

    [Fact]
    public async Task Spot_requests_of_the_orphans_are_cancelled_in_one_call_before_terminating()
    {
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-spot1", launchTime: Launched, tags: Managed).SpotRequestId = "sir-00000001";
        ec2.AddInstance("i-spot2", launchTime: Launched, tags: Managed).SpotRequestId = "sir-00000002";
        ec2.AddInstance("i-ondemand", launchTime: Launched, tags: Managed);
        ec2.AddInstance("i-spot-busy", launchTime: Launched, tags: Managed).SpotRequestId = "sir-00000003";
        foreach (var id in new[] { "sir-00000001", "sir-00000002", "sir-00000003" })
        {
            ec2.SpotRequests[id] = "active";
        }

        var table = await dynalite.CreateJobsTableAsync();
        using (var seed = dynalite.CreateClient())
        {
            await JobsTableSeed.PutJobsAsync(seed, table, [(1, "i-spot-busy", "running")]);
        }

        var activities = await ActivitiesAsync(ec2, table);
        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(
            new[] { "i-spot1", "i-spot2", "i-ondemand", "i-spot-busy" }.Select(id => new StrayInstanceCandidate(id, Launched, "old")).ToList())));

        Assert.Equal(3, result.Terminated);
        Assert.Equal(("cancelled", "cancelled", "active"), (ec2.SpotRequests["sir-00000001"], ec2.SpotRequests["sir-00000002"], ec2.SpotRequests["sir-00000003"]));
        Assert.Equal(1, ec2.Count("CancelSpotInstanceRequests"));
        var calls = ec2.Requests.Select(r => r.Operation).Where(o => o is "CancelSpotInstanceRequests" or "TerminateInstances").ToList();
        Assert.Equal(["CancelSpotInstanceRequests", "TerminateInstances"], calls);
        Assert.Equal(Ec2States.Running, ec2.Find("i-spot-busy")!.State);
    }

    [Fact]
    public async Task A_failed_cancellation_terminates_nothing()
    {
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-spot1", launchTime: Launched, tags: Managed).SpotRequestId = "sir-00000001";
        ec2.SpotRequests["sir-00000001"] = "active";
        ec2.Handle("CancelSpotInstanceRequests", _ => throw new FakeAwsErrorException("UnauthorizedOperation", "not allowed"));
        var table = await dynalite.CreateJobsTableAsync();

        var activities = await ActivitiesAsync(ec2, table);
        await Assert.ThrowsAnyAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest([new StrayInstanceCandidate("i-spot1", Launched, "old")]))));

        Assert.Equal(0, ec2.Count("TerminateInstances"));
        Assert.Equal(Ec2States.Running, ec2.Find("i-spot1")!.State);
    }

    [Fact]
    public async Task A_spot_request_ec2_no_longer_knows_does_not_keep_the_others()
    {
        await using var ec2 = new FakeEc2Server();
        ec2.AddInstance("i-spot1", launchTime: Launched, tags: Managed).SpotRequestId = "sir-00000001";
        ec2.AddInstance("i-spot2", launchTime: Launched, tags: Managed).SpotRequestId = "sir-0000gone";
        ec2.SpotRequests["sir-00000001"] = "active";
        var table = await dynalite.CreateJobsTableAsync();

        var activities = await ActivitiesAsync(ec2, table);
        var result = await new ActivityEnvironment().RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(
            [new StrayInstanceCandidate("i-spot1", Launched, "old"), new StrayInstanceCandidate("i-spot2", Launched, "old")])));

        Assert.Equal(2, result.Terminated);
        Assert.Equal("cancelled", ec2.SpotRequests["sir-00000001"]);
        Assert.Equal(2, ec2.Count("CancelSpotInstanceRequests"));
    }

    private async Task<StrayInstanceSweepActivities> ActivitiesAsync(FakeEc2Server ec2, string table) => new(
        AwsClients.Ec2(ec2.ServiceUrl, maxErrorRetry: 0),
        new AmazonDynamoDBClient(AwsClients.Credentials, new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region }),
        Options.Create(new StrayInstanceSweepOptions { PoolsTableName = await dynalite.CreatePoolsTableAsync() }),
        Options.Create(new JobsTableOptions { TableName = table }),
        new RecordingMetricsSink(),
        NullLogger<StrayInstanceSweepActivities>.Instance);
}
