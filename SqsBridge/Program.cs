using Microsoft.Extensions.Hosting;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Hosting;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.SqsBridge;

/// <summary>Standalone bridge: SQS termination (and housekeeping) queues -> Temporal workflow starts.
/// Metrics: the bridge's counters and the Temporal SDK's, exported as configured
/// (<see cref="TelemetrySettings"/>); logs as JSON lines when stdout is not a terminal.
/// Exit codes (<see cref="ExitCodes"/>): 0 after a clean stop (SIGTERM / Ctrl+C), 8 for a configuration problem or a
/// queue the bridge refuses to serve, 1 for anything else.</summary>
internal static class Program
{
    /// <summary>service.name of the exported metrics.</summary>
    public const string ServiceName = "runs-fleet-sqs-bridge";

    public static async Task<int> Main(string[] args)
    {
        BridgeOptions options;
        Temporalio.Client.TemporalClientConnectOptions temporal;
        TelemetrySettings telemetry;
        try
        {
            var reader = EnvironmentSettingsReader.FromProcess();
            temporal = TemporalConnectionSettings.Load(reader);
            telemetry = TelemetrySettings.Read(reader, ServiceName);
            options = BridgeOptions.FromEnvironment(reader);
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.InvalidConfiguration;
        }

        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddRunsFleetConsole();
        builder.Services.AddRunsFleetMetrics(telemetry, BridgeMetrics.MeterName);
        builder.Services.AddTemporalClient(temporal);
        builder.Services.AddSqsBridge(options);
        builder.Services.AddHealthFile(options.HealthFile);
        using var host = builder.Build();
        try
        {
            // Generic host: SIGTERM / Ctrl+C stop the pumps, which finish in-flight work.
            await host.RunAsync();
            return ExitCodes.Success;
        }
        catch (BridgeStartupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.InvalidConfiguration;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // E.g. the queue is unreachable at start: one readable line and exit code 1, not a crash dump.
            await Console.Error.WriteLineAsync($"RunsFleet SqsBridge stopped: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
