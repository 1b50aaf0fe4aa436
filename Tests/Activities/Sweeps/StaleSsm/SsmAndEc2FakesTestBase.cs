using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

/// <summary>
/// The stale-SSM activity's world: loopback SSM and EC2 fakes, real v4 clients pointed at them
/// (no SDK retries, so an injected error surfaces at once) and a recording metrics sink.
/// </summary>
public abstract class SsmAndEc2FakesTestBase : IAsyncLifetime
{
    private protected static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private protected readonly FakeSsmServer _ssmServer = new();
    private protected readonly FakeEc2Server _ec2Server = new();
    private protected readonly RecordingMetricsSink _metrics = new();
    private protected AmazonSimpleSystemsManagementClient _ssm = null!;
    private protected AmazonEC2Client _ec2 = null!;

    public virtual Task InitializeAsync()
    {
        _ssm = AwsClients.Ssm(_ssmServer.ServiceUrl, maxErrorRetry: 0);
        _ec2 = AwsClients.Ec2(_ec2Server.ServiceUrl, maxErrorRetry: 0);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        _ssm.Dispose();
        _ec2.Dispose();
        await _ssmServer.DisposeAsync();
        await _ec2Server.DisposeAsync();
    }
}
