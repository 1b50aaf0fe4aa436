using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class FakeEc2ServerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Launched = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly FakeEc2Server _ec2 = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ec2.DisposeAsync();

    [Fact]
    public async Task DescribeInstances_returns_state_type_launch_time_and_tags()
    {
        _ec2.AddInstance("i-aaa", Ec2States.Running, Launched, "c7g.large", new Dictionary<string, string> { ["runs-fleet:pool"] = "arm" });
        _ec2.AddInstance("i-bbb", Ec2States.Pending, launchTime: null);
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.DescribeInstancesAsync(new DescribeInstancesRequest());
        var all = response.Reservations.SelectMany(r => r.Instances).ToList();
        var a = all.Single(i => i.InstanceId == "i-aaa");
        var b = all.Single(i => i.InstanceId == "i-bbb");

        Assert.Equal(2, response.Reservations.Count);
        Assert.Equal(InstanceStateName.Running, a.State.Name);
        Assert.Equal(16, a.State.Code);
        Assert.Equal(InstanceType.C7gLarge, a.InstanceType);
        Assert.Equal(Launched.UtcDateTime, a.LaunchTime!.Value.ToUniversalTime());
        Assert.Equal("arm", Assert.Single(a.Tags, t => t.Key == "runs-fleet:pool").Value);
        Assert.Null(b.LaunchTime);
        Assert.Equal(InstanceStateName.Pending, b.State.Name);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task Filters_on_tags_tag_keys_states_and_ids_are_combined_with_and()
    {
        _ec2.AddInstance("i-1", Ec2States.Running, tags: new Dictionary<string, string> { ["runs-fleet:managed"] = "true", ["pool"] = "x64" });
        _ec2.AddInstance("i-2", Ec2States.Stopped, tags: new Dictionary<string, string> { ["runs-fleet:managed"] = "true", ["pool"] = "x64" });
        _ec2.AddInstance("i-3", Ec2States.Running, tags: new Dictionary<string, string> { ["pool"] = "arm" });
        _ec2.AddInstance("i-4", Ec2States.Pending, tags: new Dictionary<string, string> { ["runs-fleet:managed"] = "true", ["pool"] = "arm64" });
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        async Task<string[]> Ids(params Filter[] filters) =>
            (await client.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [.. filters] }))
                .Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId).Order().ToArray();

        Assert.Equal(["i-1", "i-2", "i-4"], await Ids(new Filter("tag-key", ["runs-fleet:managed"])));
        Assert.Equal(["i-1", "i-4"], await Ids(
            new Filter("tag-key", ["runs-fleet:managed"]),
            new Filter("instance-state-name", ["running", "pending"])));
        Assert.Equal(["i-3", "i-4"], await Ids(new Filter("tag:pool", ["arm*"])));
        Assert.Equal(["i-2"], await Ids(new Filter("instance-id", ["i-2", "i-3"]), new Filter("tag:pool", ["x64"])));
    }

    [Fact]
    public async Task MaxResults_pages_with_next_token_until_all_instances_are_seen()
    {
        for (var i = 0; i < 12; i++)
        {
            _ec2.AddInstance($"i-{i:D3}");
        }

        using var client = AwsClients.Ec2(_ec2.ServiceUrl);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5, NextToken = token });
            seen.AddRange(page.Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId));
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"i-{i:D3}"), seen);
        Assert.Equal(3, _ec2.Count("DescribeInstances"));
    }

    [Fact]
    public async Task Instances_of_one_reservation_are_grouped()
    {
        _ec2.AddInstance("i-1", reservationId: "r-shared");
        _ec2.AddInstance("i-2", reservationId: "r-shared");
        _ec2.AddInstance("i-3");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.DescribeInstancesAsync(new DescribeInstancesRequest());

        var shared = Assert.Single(response.Reservations, r => r.ReservationId == "r-shared");
        Assert.Equal(["i-1", "i-2"], shared.Instances.Select(i => i.InstanceId).ToArray());
        Assert.Equal(2, response.Reservations.Count);
    }

    [Fact]
    public async Task Unknown_instance_id_fails_like_aws()
    {
        _ec2.AddInstance("i-known");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-known", "i-gone"] }));

        Assert.Equal("InvalidInstanceID.NotFound", error.ErrorCode);
        Assert.Contains("i-gone", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task MaxResults_with_instance_ids_or_out_of_range_is_rejected()
    {
        _ec2.AddInstance("i-1");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var combined = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-1"], MaxResults = 5 }));
        var tooSmall = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 4 }));

        Assert.Equal("InvalidParameterCombination", combined.ErrorCode);
        Assert.Equal("InvalidParameterValue", tooSmall.ErrorCode);
    }

    [Fact]
    public async Task MaxResults_above_1000_is_rejected()
    {
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var tooLarge = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 1001 }));
        var largest = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 1000 });

        Assert.Equal("InvalidParameterValue", tooLarge.ErrorCode);
        Assert.Empty(largest.Reservations ?? []);
    }

    [Fact]
    public async Task A_filter_with_more_than_200_values_fails_with_FilterLimitExceeded()
    {
        _ec2.AddInstance("i-00000");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);
        string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"i-{i:D5}")];

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("instance-state-name", ["running"]), new Filter("instance-id", [.. Ids(FakeEc2Server.MaxFilterValues + 1)])],
        }));
        var atTheLimit = await client.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("instance-id", [.. Ids(FakeEc2Server.MaxFilterValues)])],
        });

        Assert.Equal("FilterLimitExceeded", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("i-00000", Assert.Single(atTheLimit.Reservations.SelectMany(r => r.Instances)).InstanceId);
    }

    [Fact]
    public async Task EmptyPageEvery_answers_every_nth_paginated_call_with_an_empty_page_and_a_token_that_resumes()
    {
        for (var i = 0; i < 12; i++)
        {
            _ec2.AddInstance($"i-{i:D3}");
        }

        _ec2.EmptyPageEvery = 2;
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);
        var pageSizes = new List<int>();
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5, NextToken = token });
            var ids = (page.Reservations ?? []).SelectMany(r => r.Instances).Select(i => i.InstanceId).ToList();
            pageSizes.Add(ids.Count);
            seen.AddRange(ids);
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal([5, 0, 5, 0, 2], pageSizes);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"i-{i:D3}"), seen);
    }

    [Fact]
    public async Task EmptyPageEvery_can_empty_the_first_page_and_leaves_unpaginated_calls_alone()
    {
        _ec2.AddInstance("i-1");
        _ec2.EmptyPageEvery = 2;
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var unpaginated = await client.DescribeInstancesAsync(new DescribeInstancesRequest());
        var first = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5 });
        var emptied = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5 });
        var resumed = await client.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5, NextToken = emptied.NextToken });

        Assert.Single(unpaginated.Reservations);
        Assert.Single(first.Reservations);
        Assert.Null(first.NextToken);
        Assert.Empty(emptied.Reservations ?? []);
        Assert.NotNull(emptied.NextToken);
        Assert.Equal("i-1", Assert.Single(resumed.Reservations.SelectMany(r => r.Instances)).InstanceId);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ec2.EmptyPageEvery = 1);
    }

    [Fact]
    public async Task TerminateInstances_reports_previous_and_current_state()
    {
        _ec2.AddInstance("i-run", Ec2States.Running);
        _ec2.AddInstance("i-done", Ec2States.Terminated);
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-run", "i-done"] });
        var run = response.TerminatingInstances.Single(c => c.InstanceId == "i-run");
        var done = response.TerminatingInstances.Single(c => c.InstanceId == "i-done");

        Assert.Equal(InstanceStateName.Running, run.PreviousState.Name);
        Assert.Equal(InstanceStateName.ShuttingDown, run.CurrentState.Name);
        Assert.Equal(InstanceStateName.Terminated, done.CurrentState.Name);
        Assert.Equal(Ec2States.ShuttingDown, _ec2.Find("i-run")!.State);
        Assert.Equal("i-run", _ec2.RequestsFor("TerminateInstances")[0].FormList("InstanceId")[0]);

        _ec2.CompleteTransitions();
        Assert.Equal(Ec2States.Terminated, _ec2.Find("i-run")!.State);
    }

    [Fact]
    public async Task CreateTags_sets_tags_that_filters_then_see()
    {
        _ec2.AddInstance("i-1");
        _ec2.AddInstance("i-2");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        await client.CreateTagsAsync(new CreateTagsRequest { Resources = ["i-2"], Tags = [new Tag("runs-fleet:orphan", "2026-01-01")] });
        var tagged = await client.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag-key", ["runs-fleet:orphan"])] });

        Assert.Equal("i-2", Assert.Single(tagged.Reservations.SelectMany(r => r.Instances)).InstanceId);
        Assert.Equal("2026-01-01", _ec2.Find("i-2")!.Tags["runs-fleet:orphan"]);
    }

    [Fact]
    public async Task StopInstances_moves_running_to_stopping()
    {
        _ec2.AddInstance("i-1", Ec2States.Running);
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-1"] });

        Assert.Equal(InstanceStateName.Stopping, Assert.Single(response.StoppingInstances).CurrentState.Name);
    }

    [Fact]
    public async Task Injected_request_limit_surfaces_as_RequestLimitExceeded_with_503()
    {
        _ec2.AddInstance("i-1");
        _ec2.FailNext("TerminateInstances", "RequestLimitExceeded", times: 1, message: "Request limit exceeded.");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-1"] }));

        Assert.Equal("RequestLimitExceeded", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(Ec2States.Running, _ec2.Find("i-1")!.State);
        Assert.Equal(1, _ec2.Count("TerminateInstances"));
    }

    [Fact]
    public async Task Unimplemented_action_fails_loudly_until_a_test_adds_a_handler()
    {
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var missing = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.DescribeRegionsAsync(new DescribeRegionsRequest()));
        _ec2.Handle("DescribeRegions", _ => FakeResponse.Xml(
            $"<DescribeRegionsResponse xmlns=\"{FakeEc2Server.Ns.NamespaceName}\"><requestId>x</requestId><regionInfo><item><regionName>us-east-1</regionName></item></regionInfo></DescribeRegionsResponse>"));
        var regions = await client.DescribeRegionsAsync(new DescribeRegionsRequest());

        Assert.Equal("InvalidAction", missing.ErrorCode);
        Assert.Equal("us-east-1", Assert.Single(regions.Regions).RegionName);
    }
}
