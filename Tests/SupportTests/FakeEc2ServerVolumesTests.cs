using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

// DescribeVolumes of the EC2 fake and the limits it holds (FakeEc2Server.Volumes.cs).
public sealed class FakeEc2ServerVolumesTests : IAsyncLifetime
{
    private readonly FakeEc2Server _ec2 = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ec2.DisposeAsync();

    [Fact]
    public async Task Every_instance_has_a_30_gib_gp3_root_volume_attached_and_tests_can_change_them()
    {
        _ec2.AddInstance("i-aaa");
        var big = _ec2.AddInstance("i-bbb", Ec2States.Stopped);
        big.Volumes[0] = big.Volumes[0] with { SizeGiB = 200 };
        big.Volumes.Add(new FakeEc2Volume("vol-bbb-data", 500, "io2", "/dev/sdf"));
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.DescribeVolumesAsync(new DescribeVolumesRequest());

        Assert.Equal(["vol-aaa", "vol-bbb", "vol-bbb-data"], response.Volumes.Select(v => v.VolumeId));
        Assert.Equal([30, 200, 500], response.Volumes.Select(v => v.Size ?? 0));
        Assert.Equal(["gp3", "gp3", "io2"], response.Volumes.Select(v => v.VolumeType.Value));
        Assert.Equal(["i-aaa", "i-bbb", "i-bbb"], response.Volumes.Select(v => Assert.Single(v.Attachments).InstanceId));
        Assert.Equal("/dev/sdf", response.Volumes[2].Attachments[0].Device);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task Attachment_instance_id_filter_selects_volumes_and_terminated_instances_have_none()
    {
        _ec2.AddInstance("i-1");
        _ec2.AddInstance("i-2", Ec2States.Stopped);
        _ec2.AddInstance("i-3", Ec2States.Terminated);
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter("attachment.instance-id", ["i-2", "i-3", "i-unknown"])],
        });

        Assert.Equal("vol-2", Assert.Single(response.Volumes).VolumeId);
    }

    [Fact]
    public async Task MaxResults_pages_with_next_token_until_every_volume_is_seen()
    {
        for (var i = 0; i < 12; i++)
        {
            _ec2.AddInstance($"i-{i:D3}", Ec2States.Stopped);
        }

        using var client = AwsClients.Ec2(_ec2.ServiceUrl);
        var seen = new List<string>();
        var request = new DescribeVolumesRequest { MaxResults = 5, Filters = [new Filter("attachment.instance-id", [.. Enumerable.Range(0, 12).Select(i => $"i-{i:D3}")])] };
        var pages = 0;
        do
        {
            var response = await client.DescribeVolumesAsync(request);
            pages++;
            Assert.InRange(response.Volumes.Count, 0, 5);
            seen.AddRange(response.Volumes.Select(v => v.VolumeId));
            request.NextToken = response.NextToken;
        }
        while (request.NextToken is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"vol-{i:D3}"), seen);
        Assert.Equal(3, _ec2.Count("DescribeVolumes"));
    }

    [Fact]
    public async Task MaxResults_outside_5_to_500_or_with_volume_ids_is_rejected_and_200_filter_values_is_the_limit()
    {
        _ec2.AddInstance("i-00000");
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);
        string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"i-{i:D5}")];

        var tooSmall = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.DescribeVolumesAsync(new DescribeVolumesRequest { MaxResults = 4 }));
        var tooLarge = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.DescribeVolumesAsync(new DescribeVolumesRequest { MaxResults = 501 }));
        var combined = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = ["vol-00000"], MaxResults = 5 }));
        var tooMany = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter("attachment.instance-id", [.. Ids(FakeEc2Server.MaxFilterValues + 1)])],
        }));
        var unknown = await Assert.ThrowsAsync<AmazonEC2Exception>(() =>
            client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = ["vol-nope"] }));
        var atTheLimits = await client.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            MaxResults = FakeEc2Server.MaxVolumeResults,
            Filters = [new Filter("attachment.instance-id", [.. Ids(FakeEc2Server.MaxFilterValues)])],
        });

        Assert.Equal(
            ["InvalidParameterValue", "InvalidParameterValue", "InvalidParameterCombination", "FilterLimitExceeded", "InvalidVolume.NotFound"],
            new[] { tooSmall, tooLarge, combined, tooMany, unknown }.Select(e => e.ErrorCode));
        Assert.Equal("vol-00000", Assert.Single(atTheLimits.Volumes).VolumeId);
    }
}
