using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Runners;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Runners;

/// <summary>RunnerParameterActivities against the loopback SSM fake (JSON 1.1, real v4 client).</summary>
public sealed class RunnerParameterActivitiesTests : IAsyncLifetime
{
    private const string Instance = "i-0a1b2c3d4e5f60718";
    private const string Neighbour = "i-0a1b2c3d4e5f60719";

    private readonly FakeSsmServer _ssm = new();
    private readonly ActivityEnvironment _env = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ssm.DisposeAsync();

    [Fact]
    public async Task Deletes_config_and_credential_of_the_instance_in_one_call()
    {
        _ssm.Put($"/runs-fleet/runners/{Instance}/config", "{}");
        _ssm.Put($"/runs-fleet/runners/{Instance}/credential", "token", type: "SecureString");
        _ssm.Put($"/runs-fleet/runners/{Neighbour}/config", "{}");
        _ssm.Put($"/runs-fleet/runners/{Neighbour}/credential", "token", type: "SecureString");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var result = await _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance));

        Assert.Equal(new RunnerParametersDeleted(Deleted: 2, AlreadyGone: 0), result);
        Assert.Equal([$"/runs-fleet/runners/{Neighbour}/config", $"/runs-fleet/runners/{Neighbour}/credential"], _ssm.Names);
        var call = Assert.Single(_ssm.Requests);
        Assert.Equal("DeleteParameters", call.Operation);
        Assert.Equal(
            [$"/runs-fleet/runners/{Instance}/config", $"/runs-fleet/runners/{Instance}/credential"],
            call.Json.GetProperty("Names").EnumerateArray().Select(n => n.GetString()!).ToArray());
    }

    [Fact]
    public async Task Parameters_already_gone_are_success()
    {
        _ssm.Put($"/runs-fleet/runners/{Instance}/config", "{}");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var first = await _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance));
        var second = await _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance));

        Assert.Equal(new RunnerParametersDeleted(Deleted: 1, AlreadyGone: 1), first);
        Assert.Equal(new RunnerParametersDeleted(Deleted: 0, AlreadyGone: 2), second);
        Assert.Empty(_ssm.Names);
    }

    [Fact]
    public async Task Configured_prefix_is_used()
    {
        _ssm.Put($"/staging/runners/{Instance}/config", "{}");
        _ssm.Put($"/runs-fleet/runners/{Instance}/config", "{}");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var result = await _env.RunAsync(() => Activities(client, "/staging/runners").DeleteRunnerParametersAsync(Instance));

        Assert.Equal(new RunnerParametersDeleted(Deleted: 1, AlreadyGone: 1), result);
        Assert.Equal([$"/runs-fleet/runners/{Instance}/config"], _ssm.Names);
    }

    [Fact]
    public async Task Throttling_surfaces_as_a_retryable_failure_typed_with_the_aws_code()
    {
        _ssm.Put($"/runs-fleet/runners/{Instance}/config", "{}");
        _ssm.FailNext("DeleteParameters", "ThrottlingException");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance)));

        Assert.Equal("ThrottlingException", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal([$"/runs-fleet/runners/{Instance}/config"], _ssm.Names);

        // The retry Temporal makes then succeeds.
        var retried = await _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance));
        Assert.Equal(new RunnerParametersDeleted(Deleted: 1, AlreadyGone: 1), retried);
    }

    [Fact]
    public async Task Denied_access_surfaces_as_a_non_retryable_failure()
    {
        _ssm.FailNext("DeleteParameters", "AccessDeniedException");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(Instance)));

        Assert.Equal("AccessDeniedException", failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("i-0a1b2c3d4e5f60718/..")]
    [InlineData("i-0a1b2c3d4e5f60718/config")]
    [InlineData("I-0A1B2C3D4E5F60718")]
    public async Task Bad_instance_id_is_rejected_non_retryable_without_calling_ssm(string instanceId)
    {
        _ssm.Put($"/runs-fleet/runners/{Instance}/config", "{}");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities(client).DeleteRunnerParametersAsync(instanceId)));

        Assert.Equal("InvalidInput", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Empty(_ssm.Requests);
        Assert.Single(_ssm.Names);
    }

    [Theory]
    [InlineData("runs-fleet/runners")]
    [InlineData("/runs-fleet/runners/")]
    [InlineData("")]
    public void Invalid_prefix_is_refused_at_construction(string prefix)
    {
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        Assert.Throws<ArgumentException>(() => Activities(client, prefix));
    }

    private static RunnerParameterActivities Activities(Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement client, string prefix = "/runs-fleet/runners") =>
        new(client, Options.Create(new RunnerParameterOptions { Prefix = prefix }), NullLogger<RunnerParameterActivities>.Instance);
}
