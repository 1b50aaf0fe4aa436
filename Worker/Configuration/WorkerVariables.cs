using System.Globalization;
using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Worker.Schedules;

namespace RunsFleet.Worker.Configuration;

/// <summary>A documented environment variable: name, default (empty = unset) and meaning.</summary>
internal sealed record VariableDoc(string Name, string Default, string Meaning);

/// <summary>A whole-number variable of the worker: its name, default, range and meaning in one place.</summary>
internal sealed record IntVariable(string Name, int Default, int Min, int Max, string Meaning)
{
    public int Read(EnvironmentSettingsReader reader) => reader.Int(Name, Default, Min, Max);

    public VariableDoc Doc => new(Name, Default.ToString(CultureInfo.InvariantCulture), Meaning);
}

/// <summary>The worker's own environment variables, and the catalogue every variable
/// (including the options bindings) is documented from: <c>Worker -- env</c> prints it as
/// the README's configuration table.</summary>
internal static class WorkerVariables
{
    public static readonly VariableDoc TaskQueue = new(BridgeOptions.TaskQueueVariable, TaskQueues.Default,
        "Task queue the worker polls and the schedules start workflows on");

    public static readonly IntVariable MaxConcurrentActivities = new("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", 100,
        1, 10_000, "Most activities this worker runs at once");

    public static readonly IntVariable ShutdownSeconds = new("RUNS_FLEET_SHUTDOWN_SECONDS", 30, 1, 3600,
        "On SIGTERM, how long in-flight activities may run to completion");

    public static readonly VariableDoc ApplySchedules = new("RUNS_FLEET_APPLY_SCHEDULES", "true",
        "Create/update the sweep schedules when the worker starts");

    public static readonly IntVariable ScheduleCatchupMinutes = new("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES",
        (int)SweepScheduleSettings.DefaultCatchupWindow.TotalMinutes, 1, 7 * 24 * 60,
        "How late a run missed during a Temporal outage may still start");

    public static readonly VariableDoc TerminationQueueUrl = new(BridgeOptions.TerminationQueueUrlVariable,
        string.Empty, "Termination queue (standard or FIFO); in dev mode the worker also hosts the SqsBridge when set");

    public static readonly VariableDoc HousekeepingQueueUrl = new(BridgeOptions.HousekeepingQueueUrlVariable,
        string.Empty, "Housekeeping queue; in dev mode the worker also hosts the SqsBridge when set");

    public static readonly VariableDoc TemporalCliPath = new("TEMPORAL_CLI_PATH", string.Empty,
        "Dev mode: path of an installed `temporal` CLI (otherwise the SDK tries to download it)");

    public static readonly IntVariable DevPort = new("RUNS_FLEET_DEV_PORT", 7233, 1, 65535,
        "Dev mode: port of the local Temporal dev server");

    public static readonly IntVariable DevUiPort = new("RUNS_FLEET_DEV_UI_PORT", 8233, 1, 65535,
        "Dev mode: port of the Temporal UI");

    /// <summary>Every variable the worker reads, in README order.</summary>
    public static IReadOnlyList<VariableDoc> Catalogue(IReadOnlyList<OptionsBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        var docs = new List<VariableDoc>
        {
            new("TEMPORAL_ADDRESS", TemporalConnectionSettings.DefaultAddress,
                "Temporal frontend host:port (read by the SDK's ClientEnvConfig, like every TEMPORAL_* variable)"),
            new("TEMPORAL_NAMESPACE", "default", "Temporal namespace"),
            new("TEMPORAL_API_KEY", string.Empty, "Temporal Cloud API key (turns TLS on)"),
            new("TEMPORAL_TLS, TEMPORAL_TLS_*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE", string.Empty,
                "TLS (true/1 or false/0), client certificates and config-file profiles, as documented for Temporal "
                + "environment configuration"),
            TaskQueue,
            MaxConcurrentActivities.Doc,
            ShutdownSeconds.Doc,
            new(HealthFileOptions.Variable, HealthFileOptions.DefaultPath,
                "File touched every 10 s while healthy (container health check); deleted on stop"),
            new(TelemetrySettings.PrometheusBindVariable, string.Empty,
                "host:port of a Prometheus scrape endpoint (GET /metrics) for the Temporal SDK's metrics, e.g. "
                + "0.0.0.0:9464; unset = none"),
            new(TelemetrySettings.OtlpEndpointVariable, string.Empty,
                "OTLP collector the metrics are pushed to (the OpenTelemetry SDK reads every OTEL_EXPORTER_OTLP_* "
                + "variable); unset = none"),
            ApplySchedules,
            ScheduleCatchupMinutes.Doc,
        };
        foreach (var kind in Enum.GetValues<SweepKind>())
        {
            docs.Add(new(SweepSchedules.SpecVariable(kind), SweepSchedules.Describe(SweepSchedules.DefaultSpec(kind)),
                $"Timing of the {SweepNames.WorkflowType(kind)} schedule: an interval (15m, 1h, 1h30m) or a 5-field "
                + $"UTC cron expression"));
            docs.Add(new(SweepSchedules.PausedVariable(kind), string.Empty,
                $"true/false pins the pause state of {SweepNames.ScheduleId(kind)}; unset leaves it as an operator "
                + $"set it"));
        }

        docs.AddRange(Enum.GetValues<SweepKind>()
            .SelectMany(kind => new[] { SweepSchedules.SpecVariable(kind), SweepSchedules.PausedVariable(kind) }
                .Select(variable => (Earlier: SweepSchedules.EarlierName(kind, variable), Variable: variable)))
            .Where(p => p.Earlier is not null)
            .Select(p => AliasRow(new VariableAlias(p.Earlier!, Earlier: true), [p.Variable])));

        // A variable may feed two options classes (e.g. a prefix two capabilities share): one row.
        docs.AddRange(bindings
            .DistinctBy(b => b.Variable, StringComparer.Ordinal)
            .Select(b => new VariableDoc(b.Variable, b.DefaultText, b.Meaning + AliasNote(b))));
        docs.AddRange(AliasRows(bindings));
        docs.AddRange([TerminationQueueUrl, HousekeepingQueueUrl, TemporalCliPath, DevPort.Doc, DevUiPort.Doc]);
        docs.Add(new("AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>", string.Empty,
            "AWS region, credentials and endpoints from the SDK's standard chain (ECS task role in production)"));
        return docs;
    }

    // "; also read from X (our earlier name) and runs-fleet's Y": the row of a setting with aliases says so.
    private static string AliasNote(OptionsBinding binding)
    {
        var earlier = Names(binding.Aliases.Where(a => a.Earlier));
        var theirs = Names(binding.Aliases.Where(a => !a.Earlier));
        var parts = new List<string>();
        if (earlier.Length > 0)
        {
            parts.Add($"{earlier} (our earlier name)");
        }

        if (theirs.Length > 0)
        {
            parts.Add($"runs-fleet's {theirs}");
        }

        return parts.Count == 0
            ? string.Empty
            : $"; also read from {string.Join(" and ", parts)} (set both: they must agree)";
    }

    private static string Names(IEnumerable<VariableAlias> aliases) =>
        string.Join(", ", aliases.Select(a => a.Name).Distinct(StringComparer.Ordinal));

    // One row per alias: whose name it is and what it is read as.
    private static IEnumerable<VariableDoc> AliasRows(IReadOnlyList<OptionsBinding> bindings) =>
        bindings
            .SelectMany(b => b.Aliases.Select(a => (Alias: a, b.Variable)))
            .GroupBy(p => p.Alias.Name, StringComparer.Ordinal)
            .Select(g => AliasRow(g.First().Alias, g.Select(p => p.Variable).Distinct(StringComparer.Ordinal)));

    private static VariableDoc AliasRow(VariableAlias alias, IEnumerable<string> readAs) => new(
        alias.Name,
        string.Empty,
        (alias.Earlier ? "Earlier name of ours" : "runs-fleet's name") + $", read as {string.Join(" and ", readAs)}"
            + " when that is unset (both set and different: start-up error)");

    /// <summary>The catalogue as a markdown table.</summary>
    public static string MarkdownTable(IReadOnlyList<OptionsBinding> bindings)
    {
        var lines = new List<string> { "| Variable | Default | Meaning |", "|---|---|---|" };
        lines.AddRange(Catalogue(bindings).Select(d =>
            $"| `{d.Name}` | {(d.Default.Length == 0 ? "(unset)" : "`" + d.Default + "`")} | {d.Meaning} |"));
        return string.Join(Environment.NewLine, lines);
    }
}
