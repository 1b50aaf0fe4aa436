using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Sweeps.StaleSsm;

/// <summary>
/// A few thousand parameters, swept page by page as the workflow does: the AWS requests stay at
/// the minimum the API limits allow (50 names per DescribeParameters page, 10 per DeleteParameters,
/// 200 ids per DescribeInstances).
/// </summary>
public sealed class StaleSsmScaleTests : SsmAndEc2FakesTestBase
{

    [Fact]
    public async Task Three_thousand_stale_parameters_take_60_listings_60_lookups_and_300_deletes()
    {
        // 1000 terminated runners with 3 parameters each.
        for (var i = 1; i <= 1000; i++)
        {
            _ec2Server.AddInstance(StaleSsmSweepActivitiesTests.Id(i), Ec2States.Terminated);
            foreach (var leaf in new[] { "config", "jit", "token" })
            {
                _ssmServer.Put(StaleSsmSweepActivitiesTests.Param(i, leaf), "v", Now.AddHours(-3));
            }
        }

        var totals = await SweepAsync();

        Assert.Equal(3000, totals.Listed);
        Assert.Equal(3000, totals.Deleted);
        Assert.Empty(_ssmServer.Names);
        Assert.Equal(60, _ssmServer.Count("DescribeParameters"));
        Assert.Equal(300, _ssmServer.Count("DeleteParameters"));
        Assert.Equal(60, _ec2Server.Count("DescribeInstances"));
        Assert.Equal(0, _ssmServer.Count("GetParametersByPath"));
        Assert.Equal(3000, _metrics.Named(StaleSsmSweepActivities.DeletedMetric).Sum(m => m.Value));
    }

    [Fact]
    public async Task A_mixed_fleet_stays_within_one_partial_delete_batch_per_page()
    {
        // 3000 runners with one parameter each: every third is running, every seventh is still young.
        var expectedStale = 0;
        for (var i = 1; i <= 3000; i++)
        {
            var running = i % 3 == 0;
            var young = i % 7 == 0;
            if (running)
            {
                _ec2Server.AddInstance(StaleSsmSweepActivitiesTests.Id(i), Ec2States.Running);
            }

            _ssmServer.Put(StaleSsmSweepActivitiesTests.Param(i, "config"), "v", young ? Now.AddMinutes(-5) : Now.AddHours(-1));
            expectedStale += running || young ? 0 : 1;
        }

        var totals = await SweepAsync();

        Assert.Equal(expectedStale, totals.Deleted);
        Assert.Equal(3000 - expectedStale, _ssmServer.Names.Count);
        var pages = _ssmServer.Count("DescribeParameters");
        Assert.Equal(60, pages);
        Assert.Equal(60, _ec2Server.Count("DescribeInstances"));
        var minimumDeletes = (expectedStale + 9) / 10;
        var deletes = _ssmServer.Count("DeleteParameters");
        Assert.InRange(deletes, minimumDeletes, minimumDeletes + pages);
    }

    [Fact]
    public async Task Instance_lookups_batch_200_ids_and_unknown_ids_are_just_absent()
    {
        var ids = Enumerable.Range(1, 450).Select(StaleSsmSweepActivitiesTests.Id).ToList();
        foreach (var id in ids.Take(250))
        {
            _ec2Server.AddInstance(id, id.EndsWith('1') ? Ec2States.Terminated : Ec2States.Running);
        }

        var states = await new InstanceExistenceChecker(_ec2).GetStatesAsync(ids, CancellationToken.None);

        Assert.Equal(250, states.Count);
        Assert.Equal(Ec2States.Terminated, states[StaleSsmSweepActivitiesTests.Id(1)]);
        Assert.Equal(Ec2States.Running, states[StaleSsmSweepActivitiesTests.Id(2)]);
        Assert.False(states.ContainsKey(StaleSsmSweepActivitiesTests.Id(400)));
        var requests = _ec2Server.RequestsFor("DescribeInstances");
        Assert.Equal([200, 200, 50], requests.Select(r => r.FormList("Filter.1.Value").Count));
    }

    private async Task<(int Listed, int Deleted)> SweepAsync()
    {
        var activities = new StaleSsmSweepActivities(
            _ssm, _ec2, Options.Create(new StaleSsmSweepOptions()), _metrics, NullLogger<StaleSsmSweepActivities>.Instance);
        var environment = new ActivityEnvironment();
        string? token = null;
        var listed = 0;
        var deleted = 0;
        do
        {
            var request = new StaleSsmSweepPageRequest
            {
                ParameterPrefix = "/runs-fleet/runners/",
                PageSize = 50,
                NextToken = token,
                Now = Now,
                GraceMinutes = 10,
            };
            var page = await environment.RunAsync(() => activities.SweepStaleParameterPageAsync(request));
            listed += page.Listed;
            deleted += page.Deleted;
            token = page.NextToken;
        }
        while (token is not null);

        return (listed, deleted);
    }
}
