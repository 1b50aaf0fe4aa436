using System.Text.RegularExpressions;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.Worker.Schedules;

namespace RunsFleet.Worker.Configuration;

/// <summary>Reads <see cref="WorkerSettings"/> from environment variables. Every problem is
/// collected; <see cref="Load"/> throws one <see cref="SettingsException"/> naming all.</summary>
internal static partial class WorkerSettingsLoader
{
    /// <summary>Names the worker in the configuration error message.</summary>
    public const string Component = "RunsFleet worker";

    /// <summary>service.name of the exported metrics.</summary>
    public const string ServiceName = "runs-fleet-worker";

    /// <summary>Settings from <paramref name="environment"/>, with the options <paramref name="bindings"/>
    /// bound and validated, or an exception naming every problem.</summary>
    public static WorkerSettings Load(IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<OptionsBinding> bindings)
    {
        var reader = new EnvironmentSettingsReader(environment);
        var temporal = TemporalConnectionSettings.Load(reader);
        var (taskQueueVariable, defaultTaskQueue, _) = WorkerVariables.TaskQueue;
        var taskQueue = reader.Optional(taskQueueVariable) ?? defaultTaskQueue;
        if (!TaskQueueShape().IsMatch(taskQueue))
        {
            reader.AddProblem(taskQueueVariable, $"must be 1-200 characters without spaces, got '{taskQueue}'");
        }

        var settings = new WorkerSettings
        {
            Temporal = temporal,
            TaskQueue = taskQueue,
            MaxConcurrentActivities = WorkerVariables.MaxConcurrentActivities.Read(reader),
            ShutdownTimeout = TimeSpan.FromSeconds(WorkerVariables.ShutdownSeconds.Read(reader)),
            HealthFile = ReadHealthFile(reader),
            Telemetry = TelemetrySettings.Read(reader, ServiceName),
            ApplySchedules = reader.OptionalBoolean(WorkerVariables.ApplySchedules.Name) ?? true,
            Schedules = ReadSchedules(reader, taskQueue),
            Bridge = new BridgeQueues(
                reader.OptionalHttpUrl(WorkerVariables.TerminationQueueUrl.Name),
                reader.OptionalHttpUrl(WorkerVariables.HousekeepingQueueUrl.Name)),
            DevServer = new DevServerSettings(
                reader.Optional(WorkerVariables.TemporalCliPath.Name),
                WorkerVariables.DevPort.Read(reader),
                WorkerVariables.DevUiPort.Read(reader)),
            Options = OptionsBinder.Bind(reader, bindings),
            Environment = environment,
        };
        if (settings.Bridge is { TerminationQueueUrl: null, HousekeepingQueueUrl: not null })
        {
            // Dev mode hosts the bridge, and the bridge always serves the termination queue.
            reader.AddProblem(WorkerVariables.HousekeepingQueueUrl.Name,
                $"needs {WorkerVariables.TerminationQueueUrl.Name} as well: the bridge dev mode hosts always serves "
                + $"the termination queue");
        }

        reader.ThrowIfInvalid(Component);
        return settings;
    }

    private static string ReadHealthFile(EnvironmentSettingsReader reader)
    {
        // The worker also wants the directory to exist: otherwise the writer could never touch the file.
        var path = HealthFileOptions.ReadPath(reader);
        if (Path.IsPathFullyQualified(path) && Path.GetDirectoryName(path) is { } directory
            && !Directory.Exists(directory))
        {
            reader.AddProblem(HealthFileOptions.Variable, $"is in a directory that does not exist: '{directory}'");
        }

        return path;
    }

    private static SweepScheduleSettings ReadSchedules(EnvironmentSettingsReader reader, string taskQueue)
    {
        var overrides = new Dictionary<SweepKind, SweepScheduleOverride>();
        foreach (var kind in Enum.GetValues<SweepKind>())
        {
            Temporalio.Client.Schedules.ScheduleSpec? spec = null;
            if (ReadSchedule(reader, kind, SweepSchedules.SpecVariable(kind)) is ({ } text, var source)
                && !ScheduleSpecText.TryParse(text, out spec, out var error))
            {
                reader.AddProblem(source!, error!);
            }

            var paused = ReadSchedule(reader, kind, SweepSchedules.PausedVariable(kind)) is (not null, var from)
                ? reader.OptionalBoolean(from!)
                : null;
            overrides[kind] = new SweepScheduleOverride(spec, paused);
        }

        return new SweepScheduleSettings
        {
            TaskQueue = taskQueue,
            CatchupWindow = TimeSpan.FromMinutes(WorkerVariables.ScheduleCatchupMinutes.Read(reader)),
            Overrides = overrides,
        };
    }

    // The schedule variable, or the name it had before issue 14 (RUNS_FLEET_SCHEDULE_ORPHANS_*); two set names
    // that disagree are a problem, as for every other aliased setting.
    private static (string? Text, string? Source) ReadSchedule(
        EnvironmentSettingsReader reader, SweepKind kind, string variable)
    {
        var aliases = SweepSchedules.EarlierName(kind, variable) is { } earlier
            ? new[] { new VariableAlias(earlier, Earlier: true) }
            : [];
        var read = reader.OptionalAliased(variable, aliases, StringComparer.OrdinalIgnoreCase.Equals);
        if (read.Conflict is { } conflict)
        {
            reader.AddProblem(read.Source!, conflict);
            return (null, null);
        }

        return (read.Text, read.Source);
    }

    [GeneratedRegex(@"^\S{1,200}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TaskQueueShape();
}
