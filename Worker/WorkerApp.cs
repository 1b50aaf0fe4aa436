using System.CommandLine;
using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Dev;
using RunsFleet.Worker.Hosting;
using RunsFleet.Worker.Registration;
using RunsFleet.Worker.Schedules;

namespace RunsFleet.Worker;

/// <summary>The worker's commands, parsed with System.CommandLine as the CLI's are; <see cref="Program"/> only
/// forwards to <see cref="RunAsync"/>. Without a command it runs the worker (the container's entry point).</summary>
internal static class WorkerApp
{
    /// <summary>Runs the command in <paramref name="args"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
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

        // Every command but env and help reads the settings first: a bad one is one message and exit 8.
        async Task<int> WithSettings(Func<WorkerSettings, Task<int>> command)
        {
            try
            {
                return await command(WorkerSettingsLoader.Load(environment, WorkerRegistration.OptionsBindings));
            }
            catch (SettingsException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.InvalidConfiguration;
            }
        }

        Command Do(string name, string description, Func<WorkerSettings, Task<int>> command)
        {
            var result = new Command(name, description);
            result.SetAction((_, _) => WithSettings(command));
            return result;
        }

        var run = "run the Temporal worker (applies the schedules at start unless RUNS_FLEET_APPLY_SCHEDULES=false)";
        var root = new RootCommand($"The RunsFleet worker; without a command: {run}.")
        {
            Do("run", run, s => RunWorkerAsync(s, cancellationToken)),
            Do("dev", "start a local Temporal dev server with UI, apply the schedules, run the worker",
                s => DevMode.RunAsync(s, output, error, cancellationToken, devServerStarter)),
            new Command("schedules", "the sweep schedules")
            {
                Do("apply", "create or update the sweep schedules, print what changed, exit",
                    s => ScheduleCommand.ApplyAsync(s.Temporal, s.Schedules, output, error, cancellationToken)),
                Do("show", "print the sweep schedules as configured (no server needed)",
                    s => ScheduleCommand.ShowAsync(s.Schedules, output)),
            },
        };
        root.SetAction((_, _) => WithSettings(s => RunWorkerAsync(s, cancellationToken)));
        var env = new Command("env", "print every environment variable with its default (markdown)");
        env.SetAction(async (_, _) =>
        {
            await output.WriteLineAsync(WorkerVariables.MarkdownTable(WorkerRegistration.OptionsBindings));
            return ExitCodes.Success;
        });
        var help = new Command("help", "this text (also --help)");
        help.SetAction((_, token) => root.Parse("--help").InvokeAsync(Invocation(output, error), token));
        root.Subcommands.Add(env);
        root.Subcommands.Add(help);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"RunsFleet worker: {problem.Message}");
            }

            await error.WriteLineAsync("RunsFleet worker: see 'dotnet run --project Worker -- help'");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(Invocation(output, error), cancellationToken);
    }

    // No termination handling of System.CommandLine's: it would end the process two seconds after
    // SIGTERM, while the generic host drains the Temporal worker for RUNS_FLEET_SHUTDOWN_SECONDS.
    // Exceptions reach Program, which prints one line.
    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) => new()
    {
        Output = output,
        Error = error,
        ProcessTerminationTimeout = null,
        EnableDefaultExceptionHandler = false,
    };

    private static async Task<int> RunWorkerAsync(WorkerSettings settings, CancellationToken cancellationToken)
    {
        using var host = WorkerHost.CreateBuilder(settings).Build();
        return await WorkerHost.RunAsync(host, cancellationToken);
    }
}
