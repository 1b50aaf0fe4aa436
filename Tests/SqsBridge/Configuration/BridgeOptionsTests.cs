using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;

namespace RunsFleet.Tests.SqsBridge.Configuration;

public sealed class BridgeOptionsTests
{
    private const string Termination = "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-termination.fifo";

    private static BridgeOptions Load(params (string Name, string? Value)[] variables) =>
        BridgeOptions.FromEnvironment(new EnvironmentSettingsReader(variables.ToDictionary(v => v.Name, v => v.Value)));

    [Fact]
    public void Only_the_termination_queue_is_required_and_the_rest_has_defaults()
    {
        var options = Load((BridgeOptions.TerminationQueueUrlVariable, Termination));

        Assert.Equal(Termination, options.TerminationQueueUrl);
        Assert.Null(options.HousekeepingQueueUrl);
        Assert.Equal("runs-fleet", options.TaskQueue);
        Assert.Equal(500, options.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(25), options.ShutdownGrace);
        Assert.Equal(65536, options.MaxMessageBytes);
        Assert.Equal(20, options.ReceiveWaitSeconds);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var options = Load(
            (BridgeOptions.TerminationQueueUrlVariable, " " + Termination + " "),
            (BridgeOptions.HousekeepingQueueUrlVariable, "http://127.0.0.1:4566/000000000000/housekeeping"),
            (BridgeOptions.TaskQueueVariable, "runs-fleet-dev"),
            (BridgeOptions.MaxConcurrencyVariable, "4"),
            (BridgeOptions.ShutdownSecondsVariable, "40"),
            (BridgeOptions.MaxMessageBytesVariable, "131072"));

        Assert.Equal(Termination, options.TerminationQueueUrl);
        Assert.Equal("http://127.0.0.1:4566/000000000000/housekeeping", options.HousekeepingQueueUrl);
        Assert.Equal("runs-fleet-dev", options.TaskQueue);
        Assert.Equal(4, options.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(40), options.ShutdownGrace);
        Assert.Equal(131072, options.MaxMessageBytes);
    }

    [Fact]
    public void All_problems_are_named_in_one_message()
    {
        var e = Assert.Throws<SettingsException>(() => Load(
            (BridgeOptions.HousekeepingQueueUrlVariable, "not a url"),
            (BridgeOptions.MaxConcurrencyVariable, "0"),
            (BridgeOptions.ShutdownSecondsVariable, "soon"),
            (BridgeOptions.MaxMessageBytesVariable, "-5")));

        Assert.Equal(5, e.Problems.Count);
        foreach (var variable in new[]
                 {
                     BridgeOptions.TerminationQueueUrlVariable, BridgeOptions.HousekeepingQueueUrlVariable, BridgeOptions.MaxConcurrencyVariable,
                     BridgeOptions.ShutdownSecondsVariable, BridgeOptions.MaxMessageBytesVariable,
                 })
        {
            Assert.Contains(variable, e.Message, StringComparison.Ordinal);
        }

        Assert.Contains("5 problems", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, ExitCodes.InvalidConfiguration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ftp://example.com/queue")]
    [InlineData("runs-fleet-termination.fifo")]
    public void A_missing_or_unusable_termination_queue_url_is_a_problem(string value)
    {
        var e = Assert.Throws<SettingsException>(() => Load((BridgeOptions.TerminationQueueUrlVariable, value)));

        Assert.Contains(BridgeOptions.TerminationQueueUrlVariable, Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void One_queue_cannot_be_both_termination_and_housekeeping()
    {
        var e = Assert.Throws<SettingsException>(() => Load(
            (BridgeOptions.TerminationQueueUrlVariable, Termination),
            (BridgeOptions.HousekeepingQueueUrlVariable, Termination)));

        Assert.Contains(BridgeOptions.HousekeepingQueueUrlVariable, Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("100", true)]
    [InlineData("1001", false)]
    [InlineData("+5", false)]
    [InlineData("5.0", false)]
    public void Concurrency_bounds(string value, bool valid)
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>
        {
            [BridgeOptions.TerminationQueueUrlVariable] = Termination,
            [BridgeOptions.MaxConcurrencyVariable] = value,
        });

        var exception = Record.Exception(() => BridgeOptions.FromEnvironment(reader));

        Assert.Equal(valid, exception is null);
    }

    [Fact]
    public void Temporal_connection_defaults_to_a_local_dev_server()
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>());

        var options = TemporalConnectionSettings.Load(reader);

        Assert.Empty(reader.Problems);
        Assert.Equal("localhost:7233", options.TargetHost);
        Assert.Equal("default", options.Namespace);
    }

    [Fact]
    public void Temporal_connection_honours_the_standard_variables()
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>
        {
            ["TEMPORAL_ADDRESS"] = "temporal.internal:7233",
            ["TEMPORAL_NAMESPACE"] = "runs-fleet",
        });

        var options = TemporalConnectionSettings.Load(reader);

        Assert.Equal("temporal.internal:7233", options.TargetHost);
        Assert.Equal("runs-fleet", options.Namespace);
    }

    [Fact]
    public void A_host_can_collect_the_bridge_problems_with_its_own_and_report_them_together()
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?> { [BridgeOptions.MaxConcurrencyVariable] = "many" });
        reader.Required("RUNS_FLEET_JOBS_TABLE", "the DynamoDB jobs table");

        Assert.Null(BridgeOptions.ReadFrom(reader));
        var e = Assert.Throws<SettingsException>(() => reader.ThrowIfInvalid("RunsFleet Worker"));

        Assert.Equal(3, e.Problems.Count);
        Assert.StartsWith("RunsFleet Worker", e.Message, StringComparison.Ordinal);
        Assert.Contains("RUNS_FLEET_JOBS_TABLE", e.Message, StringComparison.Ordinal);
        Assert.Contains(BridgeOptions.TerminationQueueUrlVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains(BridgeOptions.MaxConcurrencyVariable, e.Message, StringComparison.Ordinal);
    }
}
