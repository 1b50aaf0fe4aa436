using System.Collections;
using System.Text.RegularExpressions;
using RunsFleet.Activities.Hosting;
using RunsFleet.Worker.Registration;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Schedules;
using RunsFleet.Workflows.Sweeps;
using Temporalio.Client;
using Temporalio.Common.EnvConfig;

namespace RunsFleet.Worker.Configuration;

/// <summary>
/// Reads <see cref="WorkerSettings"/> from environment variables. Every problem is
/// collected; <see cref="Load"/> throws one <see cref="WorkerSettingsException"/> naming all.
/// </summary>
public static partial class WorkerSettingsLoader
{
    public const string DefaultTemporalAddress = "localhost:7233";
    public const int DefaultMaxConcurrentActivities = 100;
    public const int DefaultShutdownSeconds = 30;
    public const int DefaultDevPort = 7233;
    public const int DefaultDevUiPort = 8233;

    /// <summary>A snapshot of the process environment.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    /// <summary>Settings from <paramref name="environment"/>, or an exception naming every problem.</summary>
    public static WorkerSettings Load(IReadOnlyDictionary<string, string?> environment) =>
        Load(environment, WorkerRegistration.OptionsBindings);

    /// <summary>Settings with an explicit binding table (tests).</summary>
    public static WorkerSettings Load(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<OptionsBinding> bindings)
    {
        var reader = new EnvironmentReader(environment);
        var temporal = ReadTemporal(reader);
        var taskQueue = reader.String(WorkerVariables.TaskQueue, TaskQueues.Default);
        if (!TaskQueueShape().IsMatch(taskQueue))
        {
            reader.AddProblem(WorkerVariables.TaskQueue, $"must be 1-200 characters without spaces, got '{taskQueue}'");
        }

        var settings = new WorkerSettings
        {
            Temporal = temporal,
            TaskQueue = taskQueue,
            MaxConcurrentActivities = reader.Integer(WorkerVariables.MaxConcurrentActivities, DefaultMaxConcurrentActivities, 1, 10_000),
            ShutdownTimeout = TimeSpan.FromSeconds(reader.Integer(WorkerVariables.ShutdownSeconds, DefaultShutdownSeconds, 1, 3600)),
            HealthFile = ReadHealthFile(reader),
            ApplySchedules = reader.OptionalBoolean(WorkerVariables.ApplySchedules) ?? true,
            Schedules = ReadSchedules(reader, taskQueue),
            Bridge = new BridgeQueues(
                reader.OptionalHttpUrl(WorkerVariables.TerminationQueueUrl),
                reader.OptionalHttpUrl(WorkerVariables.HousekeepingQueueUrl)),
            DevServer = new DevServerSettings(
                reader.Optional(WorkerVariables.TemporalCliPath),
                reader.Integer(WorkerVariables.DevPort, DefaultDevPort, 1, 65535),
                reader.Integer(WorkerVariables.DevUiPort, DefaultDevUiPort, 1, 65535)),
            Options = OptionsBinder.Bind(reader, bindings),
            Environment = environment,
        };
        return reader.Problems.Count > 0 ? throw new WorkerSettingsException(reader.Problems) : settings;
    }

    private static TemporalClientConnectOptions ReadTemporal(EnvironmentReader reader)
    {
        TemporalClientConnectOptions options;
        try
        {
            // The SDK's own loader: TEMPORAL_ADDRESS, _NAMESPACE, _API_KEY, _TLS*, profiles.
            options = ClientEnvConfig.LoadClientConnectOptions(new ClientEnvConfig.ProfileLoadOptions
            {
                OverrideEnvVars = reader.Variables
                    .Where(v => v.Value is not null)
                    .ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal),
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            reader.AddProblem("TEMPORAL_* (client configuration)", e.Message);
            options = new TemporalClientConnectOptions();
        }

        if (string.IsNullOrWhiteSpace(options.TargetHost))
        {
            options.TargetHost = DefaultTemporalAddress;
        }
        else if (!HostAndPort().IsMatch(options.TargetHost))
        {
            reader.AddProblem(WorkerVariables.TemporalAddress, $"must be host:port, got '{options.TargetHost}'");
        }

        if (string.IsNullOrWhiteSpace(options.Namespace))
        {
            options.Namespace = "default";
        }

        return options;
    }

    private static string ReadHealthFile(EnvironmentReader reader)
    {
        var path = reader.String(WorkerVariables.HealthFile, HealthFileOptions.DefaultPath);
        if (!Path.IsPathFullyQualified(path))
        {
            reader.AddProblem(WorkerVariables.HealthFile, $"must be an absolute path, got '{path}'");
        }
        else if (Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
        {
            reader.AddProblem(WorkerVariables.HealthFile, $"is in a directory that does not exist: '{directory}'");
        }

        return path;
    }

    private static SweepScheduleSettings ReadSchedules(EnvironmentReader reader, string taskQueue)
    {
        var overrides = new Dictionary<SweepKind, SweepScheduleOverride>();
        foreach (var kind in Enum.GetValues<SweepKind>())
        {
            var specVariable = SweepSchedules.SpecVariable(kind);
            Temporalio.Client.Schedules.ScheduleSpec? spec = null;
            if (reader.Optional(specVariable) is { } text && !ScheduleSpecText.TryParse(text, out spec, out var error))
            {
                reader.AddProblem(specVariable, error!);
            }

            overrides[kind] = new SweepScheduleOverride(spec, reader.OptionalBoolean(SweepSchedules.PausedVariable(kind)));
        }

        var catchupMinutes = reader.Integer(
            WorkerVariables.ScheduleCatchupMinutes,
            (int)SweepScheduleSettings.DefaultCatchupWindow.TotalMinutes,
            1,
            7 * 24 * 60);
        return new SweepScheduleSettings
        {
            TaskQueue = taskQueue,
            CatchupWindow = TimeSpan.FromMinutes(catchupMinutes),
            Overrides = overrides,
        };
    }

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):\d{1,5}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();

    [GeneratedRegex(@"^\S{1,200}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TaskQueueShape();
}
