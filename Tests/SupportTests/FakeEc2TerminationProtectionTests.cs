using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

/// <summary>The fake's termination protection and Packer builders, as AWS and runs-fleet's templates have them.</summary>
public sealed class FakeEc2TerminationProtectionTests : IAsyncLifetime
{
    private readonly FakeEc2Server _ec2 = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ec2.DisposeAsync();

    [Fact]
    public async Task A_protected_instance_fails_the_whole_call_naming_the_first_one_and_nothing_changes()
    {
        _ec2.AddInstance("i-free");
        _ec2.AddInstance("i-locked1").DisableApiTermination = true;
        _ec2.AddInstance("i-locked2").DisableApiTermination = true;
        using var client = AwsClients.Ec2(_ec2.ServiceUrl, maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => client.TerminateInstancesAsync(
            new TerminateInstancesRequest { InstanceIds = ["i-free", "i-locked2", "i-locked1"] }));

        Assert.Equal("OperationNotPermitted", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            "The instance 'i-locked2' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.",
            error.Message);
        Assert.All(_ec2.Instances, i => Assert.Equal(Ec2States.Running, i.State));

        var rest = await client.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-free"] });
        Assert.Equal("i-free", Assert.Single(rest.TerminatingInstances).InstanceId);
    }

    [Fact]
    public async Task Packer_builders_carry_runs_fleets_run_tags_type_and_profile()
    {
        _ec2.AddPackerBuilder("i-builder", template: "runner-base-amd64", state: Ec2States.Stopped);
        using var client = AwsClients.Ec2(_ec2.ServiceUrl);

        var response = await client.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("tag:created-by", ["runs-fleet-packer"]), new Filter("instance-state-name", ["stopping", "stopped"])],
        });
        var builder = Assert.Single(response.Reservations.SelectMany(r => r.Instances));

        Assert.Equal(
            ["Name=packer-runner-base-amd64-builder", "created-by=runs-fleet-packer"],
            builder.Tags.Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(InstanceType.C6iXlarge, builder.InstanceType);
        Assert.EndsWith(":instance-profile/runs-fleet-runner", builder.IamInstanceProfile.Arn, StringComparison.Ordinal);
    }
}
