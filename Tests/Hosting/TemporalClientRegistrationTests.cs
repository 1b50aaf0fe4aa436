using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using Temporalio.Client;

namespace RunsFleet.Tests.Hosting;

/// <summary>
/// Both hosts register the SDK's lazy client fed with the TEMPORAL_* settings: it builds without a
/// server, carries every setting ClientEnvConfig read, the host's logger factory and the process runtime.
/// </summary>
public sealed class TemporalClientRegistrationTests
{
    [Fact]
    public void The_sdk_client_gets_every_connection_setting_the_logger_factory_and_the_process_runtime()
    {
        var reader = new EnvironmentSettingsReader(new Dictionary<string, string?>
        {
            ["TEMPORAL_ADDRESS"] = "127.0.0.1:9",
            ["TEMPORAL_NAMESPACE"] = "runs-fleet",
            ["TEMPORAL_API_KEY"] = "secret",
            ["TEMPORAL_GRPC_META_X_TENANT"] = "fleet",
        });
        var connect = TemporalConnectionSettings.Load(reader);
        Assert.Empty(reader.Problems);
        using var services = new ServiceCollection().AddLogging().AddTemporalClient(connect).Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<TemporalClientConnectOptions>>().Value;
        var client = services.GetRequiredService<ITemporalClient>();

        Assert.Equal(("127.0.0.1:9", "runs-fleet", "secret"), (options.TargetHost, options.Namespace, options.ApiKey));
        Assert.NotNull(options.Tls); // an API key turns TLS on
        Assert.Contains(options.RpcMetadata!, m => m.Value == "fleet");
        Assert.Same(services.GetRequiredService<ILoggerFactory>(), options.LoggerFactory);
        Assert.Same(TemporalTelemetry.Runtime, ((TemporalConnection)client.Connection).Options.Runtime);
        Assert.False(((TemporalConnection)client.Connection).IsConnected); // lazy: no server was needed
    }

    [Fact]
    public void A_client_registered_before_is_kept()
    {
        var mine = TemporalClient.CreateLazy(new TemporalClientConnectOptions("127.0.0.1:1"));
        using var services = new ServiceCollection()
            .AddSingleton<ITemporalClient>(mine)
            .AddTemporalClient(new TemporalClientConnectOptions("127.0.0.1:9"))
            .Services.BuildServiceProvider();

        Assert.Same(mine, services.GetRequiredService<ITemporalClient>());
    }
}
