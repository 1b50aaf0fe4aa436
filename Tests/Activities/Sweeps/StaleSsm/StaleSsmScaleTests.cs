using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using Temporalio.Testing;
using Xunit.Abstractions;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

/// <summary>
/// Thousands of parameters, swept batch by batch as the workflow does: the AWS requests stay at
/// the minimum the API limits allow (50 names per DescribeParameters page, 10 per DeleteParameters,
/// 200 ids per DescribeInstances; at most a tenth more lookups than that minimum).
/// </summary>
public sealed class StaleSsmScaleTests(ITestOutputHelper output) : SsmAndEc2FakesTestBase
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public async Task Instance_lookups_stay_within_a_tenth_of_the_minimum(int instances)
    {
        // Two parameters per runner; every fourth runner still runs, the rest are gone.
        for (var i = 1; i <= instances; i++)
        {
            if (i % 4 == 0)
            {
                _ec2Server.AddInstance(StaleSsmSweepActivitiesTests.Id(i), Ec2States.Running);
            }

            _ssmServer.Put(StaleSsmSweepActivitiesTests.Param(i, "config"), "v", Now.AddHours(-3));
            _ssmServer.Put(StaleSsmSweepActivitiesTests.Param(i, "jit"), "v", Now.AddHours(-3));
        }

        var totals = await SweepAsync();

        var stale = 2 * (instances - (instances / 4));
        var minimumLookups = (instances + 199) / 200;
        var lookups = _ec2Server.Count("DescribeInstances");
        output.WriteLine(
            $"{instances} runners, {2 * instances} parameters: DescribeInstances {lookups} (minimum {minimumLookups}), " +
            $"DescribeParameters {_ssmServer.Count("DescribeParameters")} (minimum {2 * instances / 50}), " +
            $"DeleteParameters {_ssmServer.Count("DeleteParameters")} (minimum {(stale + 9) / 10})");
        Assert.Equal(stale, totals.Deleted);
        Assert.Equal(2 * (instances / 4), _ssmServer.Names.Count);
        Assert.InRange(lookups, minimumLookups, minimumLookups * 11 / 10);
        Assert.All(_ec2Server.RequestsFor("DescribeInstances"), r => Assert.InRange(r.FormList("Filter.1.Value").Count, 1, 200));
        Assert.Equal(2 * instances / 50, _ssmServer.Count("DescribeParameters"));
        Assert.InRange(_ssmServer.Count("DeleteParameters"), (stale + 9) / 10, ((stale + 9) / 10) + totals.Batches);
    }

    [Fact]
    public async Task Empty_ec2_pages_with_a_token_change_no_verdict()
    {
        for (var i = 1; i <= 600; i++)
        {
            _ec2Server.AddInstance(StaleSsmSweepActivitiesTests.Id(i), i % 2 == 0 ? Ec2States.Running : Ec2States.Terminated);
            _ssmServer.Put(StaleSsmSweepActivitiesTests.Param(i, "config"), "v", Now.AddHours(-3));
        }

        _ec2Server.EmptyPageEvery = 2;
        var totals = await SweepAsync();

        Assert.Equal(300, totals.Deleted);
        Assert.Equal(
            Enumerable.Range(1, 600).Where(i => i % 2 == 0).Select(i => StaleSsmSweepActivitiesTests.Param(i, "config")).Order(StringComparer.Ordinal),
            _ssmServer.Names.Order(StringComparer.Ordinal));
        Assert.True(_ec2Server.Count("DescribeInstances") > 3, "the empty pages were followed");
    }

    [Fact]
    public async Task Three_thousand_stale_parameters_take_60_listings_5_lookups_and_300_deletes()
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
        Assert.Equal(5, _ec2Server.Count("DescribeInstances"));
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
        Assert.Equal(60, _ssmServer.Count("DescribeParameters"));
        var minimumLookups = (3000 - (3000 / 7) + 199) / 200;
        Assert.InRange(_ec2Server.Count("DescribeInstances"), minimumLookups, minimumLookups * 11 / 10);
        var minimumDeletes = (expectedStale + 9) / 10;
        var deletes = _ssmServer.Count("DeleteParameters");
        Assert.InRange(deletes, minimumDeletes, minimumDeletes + totals.Batches);
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

    private async Task<(int Listed, int Deleted, int Batches)> SweepAsync()
    {
        var activities = new StaleSsmSweepActivities(
            _ssm, _ec2, Options.Create(new StaleSsmSweepOptions()), _metrics, NullLogger<StaleSsmSweepActivities>.Instance);
        var environment = new ActivityEnvironment();
        string? token = null;
        var listed = 0;
        var deleted = 0;
        var batches = 0;
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
            batches++;
            token = page.NextToken;
        }
        while (token is not null);

        return (listed, deleted, batches);
    }
}
