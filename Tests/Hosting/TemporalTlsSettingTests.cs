using RunsFleet.Cli.Common;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Tests.Worker;
using RunsFleet.Worker;

namespace RunsFleet.Tests.Hosting;

/// <summary>
/// TEMPORAL_TLS takes only its documented values. The SDK reads false and 0 as off and anything else as on ("no",
/// "maybe", an empty value), so an undocumented value is a start-up problem in the worker, the bridge and the CLI
/// (exit 8), never a guess.
/// </summary>
public sealed class TemporalTlsSettingTests
{
    private const string Maybe = "TEMPORAL_TLS must be true, false, 1, 0 (any case), got 'maybe'";

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void A_documented_value_turns_tls_on_or_off(string value, bool on)
    {
        var reader = Reader(value);

        var options = TemporalConnectionSettings.Load(reader);

        Assert.Empty(reader.Problems);
        Assert.Equal(on, options.Tls is { Disabled: false });
    }

    [Fact]
    public void Unset_leaves_tls_off()
    {
        var reader = Reader(null);

        Assert.Null(TemporalConnectionSettings.Load(reader).Tls);
        Assert.Empty(reader.Problems);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("no")]
    [InlineData("yes")]
    [InlineData("")]
    [InlineData(" false")]
    public void Any_other_value_is_one_problem_naming_the_accepted_ones(string value)
    {
        var reader = Reader(value);

        TemporalConnectionSettings.Load(reader);

        Assert.Equal([$"TEMPORAL_TLS must be true, false, 1, 0 (any case), got '{value}'"], reader.Problems);
    }

    [Fact]
    public async Task The_worker_stops_at_start_with_the_configuration_exit_code()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await WorkerApp.RunAsync(
            ["schedules", "show"], TestEnvironment.With(("TEMPORAL_TLS", "maybe")), output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.InvalidConfiguration, exit);
        Assert.Contains(Maybe, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_bridge_names_it_with_its_other_settings()
    {
        var reader = Reader("maybe");
        TemporalConnectionSettings.Load(reader);

        var error = Assert.Throws<SettingsException>(() => BridgeOptions.FromEnvironment(reader));

        Assert.Contains(Maybe, error.Problems);
    }

    [Fact]
    public async Task The_cli_refuses_to_connect_with_the_configuration_exit_code()
    {
        var error = await Assert.ThrowsAsync<CliException>(() => CliContext.ConnectAsync(
            new Dictionary<string, string?> { ["TEMPORAL_TLS"] = "maybe" }, CancellationToken.None));

        Assert.Equal((ExitCodes.InvalidConfiguration, Maybe), (error.ExitCode, error.Message));
    }

    private static EnvironmentSettingsReader Reader(string? tls) =>
        new EnvironmentSettingsReader(TestEnvironment.With(("TEMPORAL_TLS", tls)));
}
