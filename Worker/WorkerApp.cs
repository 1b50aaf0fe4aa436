using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Dev;
using RunsFleet.Worker.Hosting;
using RunsFleet.Worker.Registration;
using RunsFleet.Worker.Schedules;

namespace RunsFleet.Worker;

/// <summary>The worker's commands; <see cref="Program"/> only forwards to <see cref="RunAsync"/>.</summary>
internal static class WorkerApp
{
    public const string Usage = """
        Usage: dotnet run --project Worker -- [command]
          (none) | run       run the Temporal worker (applies the schedules at start unless RUNS_FLEET_APPLY_SCHEDULES=false)
          dev                start a local Temporal dev server with UI, apply the schedules, run the worker
          schedules apply    create or update the sweep schedules, print what changed, exit
          schedules show     print the sweep schedules as configured (no server needed)
          env                print every environment variable with its default (markdown)
          help               this text
        """;

    /// <summary>Runs the command in <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string?> environment,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken,
        DevServerStarter? devServerStarter = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = string.Join(' ', args).Trim();
        switch (command)
        {
            case "help" or "--help" or "-h":
                await output.WriteLineAsync(Usage);
                return ExitCodes.Success;
            case "env":
                await output.WriteLineAsync(WorkerVariables.MarkdownTable(WorkerRegistration.OptionsBindings));
                return ExitCodes.Success;
            case "" or "run" or "dev" or "schedules apply" or "schedules show":
                break;
            default:
                await error.WriteLineAsync($"Unknown command '{command}'.{Environment.NewLine}{Usage}");
                return ExitCodes.Usage;
        }

        WorkerSettings settings;
        try
        {
            settings = WorkerSettingsLoader.Load(environment, WorkerRegistration.OptionsBindings);
        }
        catch (SettingsException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.InvalidConfiguration;
        }

        return command switch
        {
            "dev" => await DevMode.RunAsync(settings, output, error, cancellationToken, devServerStarter),
            "schedules apply" => await ScheduleCommand.ApplyAsync(settings.Temporal, settings.Schedules, output, error, cancellationToken),
            "schedules show" => await ScheduleCommand.ShowAsync(settings.Schedules, output),
            _ => await RunWorkerAsync(settings, cancellationToken),
        };
    }

    private static async Task<int> RunWorkerAsync(WorkerSettings settings, CancellationToken cancellationToken)
    {
        using var host = WorkerHost.CreateBuilder(settings).Build();
        return await WorkerHost.RunAsync(host, cancellationToken);
    }
}
