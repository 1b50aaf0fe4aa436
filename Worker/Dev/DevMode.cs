using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Hosting;
using RunsFleet.Worker.Registration;
using RunsFleet.Worker.Schedules;
using RunsFleet.Workflows.Common;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Worker.Dev;

/// <summary><c>Worker -- dev</c>: a whole local system without Docker. Starts a Temporal dev server
/// through the SDK (an installed CLI from TEMPORAL_CLI_PATH, or one the SDK downloads) with
/// its UI and the custom search attributes, applies the schedules and runs the worker (and
/// the SqsBridge when queue URLs are set). Where no CLI can be had it fails within seconds
/// and says what to install or set.</summary>
internal static class DevMode
{
    /// <summary>Longest wait for the dev server (download included) before giving up.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What to do when no dev server can be started.</summary>
    public const string Remedy =
        "Install the Temporal CLI (https://docs.temporal.io/cli, e.g. `brew install temporal` or `curl -sSf "
            + "https://temporal.download/cli.sh | sh`) "
        + "and set TEMPORAL_CLI_PATH=/path/to/temporal, or run the whole stack with `docker compose -f "
        + "docker-compose.temporal.yml up --build`, "
        + "or point TEMPORAL_ADDRESS at a running server and start the worker without `dev`.";

    /// <summary>The dev server options dev mode starts with.</summary>
    public static WorkflowEnvironmentStartLocalOptions StartOptions(DevServerSettings dev)
    {
        ArgumentNullException.ThrowIfNull(dev);
        return new WorkflowEnvironmentStartLocalOptions
        {
            TargetHost = $"127.0.0.1:{dev.Port}",
            Namespace = "default",
            UI = true,
            UIPort = dev.UiPort,
            // Registered on start, so workflows and schedules can set them at once.
            SearchAttributes = RunsFleetSearchAttributes.All,
            DevServerOptions = new DevServerOptions { ExistingPath = dev.CliPath, LogLevel = "warn" },
        };
    }

    /// <summary>Runs dev mode until <paramref name="cancellationToken"/> or Ctrl+C; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        WorkerSettings settings,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken,
        DevServerStarter? starter = null,
        TimeSpan? startTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var cliPath = settings.DevServer.CliPath;
        if (cliPath is not null && !File.Exists(cliPath))
        {
            await error.WriteLineAsync(Unavailable($"TEMPORAL_CLI_PATH={cliPath} does not exist."));
            return ExitCodes.DevServerUnavailable;
        }

        var options = StartOptions(settings.DevServer);
        await output.WriteLineAsync(cliPath is null
            ? "Starting a Temporal dev server (TEMPORAL_CLI_PATH is not set: the SDK downloads the CLI)..."
            : $"Starting a Temporal dev server from {cliPath}...");
        WorkflowEnvironment environment;
        try
        {
            environment = await (starter ?? WorkflowEnvironment.StartLocalAsync)(options)
                .WaitAsync(startTimeout ?? DefaultStartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await error.WriteLineAsync(Unavailable($"The dev server did not start within "
                + $"{(startTimeout ?? DefaultStartTimeout).TotalSeconds:0} s."));
            return ExitCodes.DevServerUnavailable;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync(Unavailable(e.Message));
            return ExitCodes.DevServerUnavailable;
        }

        await using (environment)
        {
            return await RunWorkerAsync(settings, environment, options, output, cancellationToken);
        }
    }

    /// <summary>The message printed when no dev server can be started.</summary>
    public static string Unavailable(string cause) =>
        $"RunsFleet dev mode: cannot start a local Temporal dev server. {cause}{Environment.NewLine}{Remedy}";

    private static async Task<int> RunWorkerAsync(
        WorkerSettings settings,
        WorkflowEnvironment environment,
        WorkflowEnvironmentStartLocalOptions options,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Temporal dev server: {options.TargetHost} (namespace {options.Namespace})");
        await output.WriteLineAsync($"Temporal UI:         http://127.0.0.1:{options.UIPort}");

        try
        {
            await ScheduleCommand.ApplyAsync(new TemporalScheduleStore(environment.Client), settings.Schedules, output,
                cancellationToken);
        }
        catch (Exception e) when (e is TemporalException or InvalidOperationException)
        {
            // The worker is still worth running (terminations, manual sweeps); say why the
            // schedules are missing instead of stopping.
            await output.WriteLineAsync($"Applying the sweep schedules failed: {e.Message}");
        }

        var devTemporal = new TemporalClientConnectOptions(options.TargetHost!) { Namespace = options.Namespace! };
        var devSettings = settings with { Temporal = devTemporal, ApplySchedules = false };
        var bridgeHosted = false;
        var builder = WorkerHost.CreateBuilder(devSettings, new WorkerHostOverrides
        {
            ConfigureServices = services => bridgeHosted = WorkerRegistration.AddSqsBridgeIfConfigured(services,
                devSettings),
        });
        if (settings.Bridge.Any && !bridgeHosted)
        {
            await output.WriteLineAsync("Queue URLs are set but this build has no SqsBridge registration; run the "
                + "SqsBridge separately.");
        }

        using var host = builder.Build();
        await output.WriteLineAsync($"Worker polling task queue {settings.TaskQueue}; Ctrl+C stops it.");
        return await WorkerHost.RunAsync(host, cancellationToken);
    }
}
