using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Worker;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>RUNS_FLEET_PROMETHEUS_BIND and OTEL_EXPORTER_OTLP_ENDPOINT are validated at start-up with the other settings.</summary>
public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("0.0.0.0:9464", "0.0.0.0", 9464, true)]
    [InlineData("127.0.0.1:9464", "127.0.0.1", 9464, false)]
    [InlineData("localhost:1", "localhost", 1, false)]
    [InlineData("[::]:65535", "[::]", 65535, true)]
    [InlineData("[::1]:9464", "[::1]", 9464, false)]
    [InlineData("*:9464", "*", 9464, true)]
    public void A_host_and_port_is_a_prometheus_endpoint(string bind, string host, int port, bool anyAddress)
    {
        var settings = TelemetrySettings.Read(Reader(TelemetrySettings.PrometheusBindVariable, bind), "svc");

        Assert.Equal(new PrometheusEndpoint(host, port), settings.Prometheus);
        Assert.Equal(anyAddress, settings.Prometheus!.AnyAddress);
        Assert.True(settings.Exports);
    }

    [Theory]
    [InlineData("http://collector:4317", null, true)]
    [InlineData("http://collector:4317", "0.0.0.0:9464", false)]
    [InlineData(null, "0.0.0.0:9464", false)]
    [InlineData(null, null, false)]
    public void Histograms_are_exponential_over_otlp_alone(string? otlp, string? bind, bool exponential)
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>
        {
            [TelemetrySettings.OtlpEndpointVariable] = otlp,
            [TelemetrySettings.PrometheusBindVariable] = bind,
        });

        Assert.Equal(exponential, TelemetrySettings.Read(reader, "svc").ExponentialHistograms);
    }

    [Theory]
    [InlineData("9464")]
    [InlineData("0.0.0.0")]
    [InlineData("0.0.0.0:0")]
    [InlineData("0.0.0.0:65536")]
    [InlineData("0.0.0.0:94x4")]
    [InlineData("http://0.0.0.0:9464")]
    [InlineData("host name:9464")]
    public void Anything_else_is_one_problem_naming_the_variable_and_the_value(string bind)
    {
        var reader = Reader(TelemetrySettings.PrometheusBindVariable, bind);

        var settings = TelemetrySettings.Read(reader, "svc");

        Assert.Null(settings.Prometheus);
        var problem = Assert.Single(reader.Problems);
        Assert.StartsWith("RUNS_FLEET_PROMETHEUS_BIND must be host:port", problem, StringComparison.Ordinal);
        Assert.Contains($"got '{bind}'", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void An_otlp_endpoint_that_is_not_an_http_url_is_a_problem()
    {
        var reader = Reader(TelemetrySettings.OtlpEndpointVariable, "collector:4317");

        Assert.False(TelemetrySettings.Read(reader, "svc").Otlp);
        Assert.Equal(["OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http(s) URL, got 'collector:4317'"], reader.Problems);
    }

    [Fact]
    public void The_bridge_refuses_a_bad_bind_together_with_its_other_problems()
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>
        {
            [TelemetrySettings.PrometheusBindVariable] = "9464",
            [BridgeOptions.MaxMessageBytesVariable] = "12",
        });
        TelemetrySettings.Read(reader, "runs-fleet-sqs-bridge");

        var error = Assert.Throws<SettingsException>(() => BridgeOptions.FromEnvironment(reader));

        Assert.Contains(error.Problems, p => p.StartsWith("RUNS_FLEET_PROMETHEUS_BIND must be host:port", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("RUNS_FLEET_MAX_MESSAGE_BYTES", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("RUNS_FLEET_TERMINATION_QUEUE_URL is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_worker_stops_at_start_with_exit_code_8_naming_a_bad_bind()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await WorkerApp.RunAsync(["schedules", "show"], new Dictionary<string, string?> { [TelemetrySettings.PrometheusBindVariable] = "0.0.0.0" }, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.InvalidConfiguration, exit);
        Assert.Contains("RUNS_FLEET_PROMETHEUS_BIND must be host:port with a port from 1 to 65535 (e.g. 0.0.0.0:9464 or 127.0.0.1:9464), got '0.0.0.0'", error.ToString(), StringComparison.Ordinal);
    }

    private static EnvironmentSettingsReader Reader(string variable, string value) =>
        new EnvironmentSettingsReader(new Dictionary<string, string?> { [variable] = value });
}
