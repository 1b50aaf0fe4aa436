using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.Worker;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Schedules;
using Temporalio.Client.Schedules;

namespace RunsFleet.Tests.Worker.Configuration;

public sealed class WorkerSettingsTests
{
    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        var settings = TestEnvironment.Load();

        Assert.Equal("localhost:7233", settings.Temporal.TargetHost);
        Assert.Equal("default", settings.Temporal.Namespace);
        Assert.Null(settings.Temporal.Tls);
        Assert.Equal("runs-fleet", settings.TaskQueue);
        Assert.Equal(100, settings.MaxConcurrentActivities);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ShutdownTimeout);
        Assert.Equal(HealthFileOptions.DefaultPath, settings.HealthFile);
        Assert.True(settings.ApplySchedules);
        Assert.Equal(TimeSpan.FromMinutes(60), settings.Schedules.CatchupWindow);
        Assert.Equal("runs-fleet", settings.Schedules.TaskQueue);
        Assert.All(Enum.GetValues<SweepKind>(), kind => Assert.Equal(new SweepScheduleOverride(), settings.Schedules.For(kind)));
        Assert.False(settings.Bridge.Any);
        Assert.Equal(new DevServerSettings(null, 7233, 8233), settings.DevServer);
        Assert.Equal("runs-fleet-jobs", settings.Get<JobsTableOptions>().TableName);
        Assert.Equal("RunsFleet", settings.Get<MetricsOptions>().Namespace);
    }

    [Fact]
    public void Every_variable_overrides_its_default()
    {
        var healthFile = Path.Combine(Path.GetTempPath(), "worker-settings-test.health");
        var settings = TestEnvironment.Load(
            ("TEMPORAL_ADDRESS", "temporal.internal:7444"),
            ("TEMPORAL_NAMESPACE", "fleet-prod"),
            ("RUNS_FLEET_TASK_QUEUE", "fleet-queue"),
            ("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "25"),
            ("RUNS_FLEET_SHUTDOWN_SECONDS", "90"),
            ("RUNS_FLEET_HEALTH_FILE", healthFile),
            ("RUNS_FLEET_APPLY_SCHEDULES", "false"),
            ("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES", "15"),
            ("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_SPEC", "5m"),
            ("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_PAUSED", "true"),
            ("RUNS_FLEET_SCHEDULE_POOL_AUDIT_SPEC", "30 6 * * MON-FRI"),
            ("RUNS_FLEET_SCHEDULE_POOL_AUDIT_PAUSED", "false"),
            ("RUNS_FLEET_JOBS_TABLE", "fleet-jobs-prod"),
            ("RUNS_FLEET_METRICS_NAMESPACE", "Fleet/Prod"),
            ("RUNS_FLEET_TERMINATION_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-termination.fifo"),
            ("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL", "http://localhost:4566/000000000000/runs-fleet-housekeeping"),
            ("TEMPORAL_CLI_PATH", "/opt/temporal"),
            ("RUNS_FLEET_DEV_PORT", "17233"),
            ("RUNS_FLEET_DEV_UI_PORT", "18233"));

        Assert.Equal("temporal.internal:7444", settings.Temporal.TargetHost);
        Assert.Equal("fleet-prod", settings.Temporal.Namespace);
        Assert.Equal("fleet-queue", settings.TaskQueue);
        Assert.Equal("fleet-queue", settings.Schedules.TaskQueue);
        Assert.Equal(25, settings.MaxConcurrentActivities);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.ShutdownTimeout);
        Assert.Equal(healthFile, settings.HealthFile);
        Assert.False(settings.ApplySchedules);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.Schedules.CatchupWindow);
        var orphans = settings.Schedules.For(SweepKind.StrayInstances);
        Assert.True(orphans.Paused);
        Assert.Equal(TimeSpan.FromMinutes(5), Assert.Single(orphans.Spec!.Intervals).Every);
        var audit = settings.Schedules.For(SweepKind.PoolAudit);
        Assert.False(audit.Paused);
        var calendar = Assert.Single(audit.Spec!.Calendars);
        Assert.Equal([new ScheduleRange(6)], calendar.Hour);
        Assert.Equal([new ScheduleRange(30)], calendar.Minute);
        Assert.Equal([new ScheduleRange(1, 5)], calendar.DayOfWeek);
        Assert.Null(settings.Schedules.For(SweepKind.StaleSsm).Spec);
        Assert.Equal("fleet-jobs-prod", settings.Get<JobsTableOptions>().TableName);
        Assert.Equal("Fleet/Prod", settings.Get<MetricsOptions>().Namespace);
        Assert.EndsWith("runs-fleet-termination.fifo", settings.Bridge.TerminationQueueUrl, StringComparison.Ordinal);
        Assert.EndsWith("runs-fleet-housekeeping", settings.Bridge.HousekeepingQueueUrl, StringComparison.Ordinal);
        Assert.Equal(new DevServerSettings("/opt/temporal", 17233, 18233), settings.DevServer);
    }

    [Fact]
    public void Temporal_api_key_from_the_sdk_env_config_turns_tls_on()
    {
        var settings = TestEnvironment.Load(
            ("TEMPORAL_ADDRESS", "fleet.a1b2c.tmprl.cloud:7233"),
            ("TEMPORAL_NAMESPACE", "fleet.a1b2c"),
            ("TEMPORAL_API_KEY", "secret-key"));

        Assert.Equal("secret-key", settings.Temporal.ApiKey);
        Assert.NotNull(settings.Temporal.Tls);
        Assert.Equal("fleet.a1b2c", settings.Temporal.Namespace);
    }

    [Fact]
    public void Every_problem_is_named_by_its_variable_in_one_message()
    {
        var problem = Assert.Throws<SettingsException>(() => TestEnvironment.Load(
            ("TEMPORAL_ADDRESS", "no-port-here"),
            ("RUNS_FLEET_TASK_QUEUE", "has spaces"),
            ("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "0"),
            ("RUNS_FLEET_SHUTDOWN_SECONDS", "soon"),
            ("RUNS_FLEET_HEALTH_FILE", "relative/health"),
            ("RUNS_FLEET_APPLY_SCHEDULES", "perhaps"),
            ("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES", "-5"),
            ("RUNS_FLEET_SCHEDULE_STALE_SSM_SPEC", "hourly"),
            ("RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED", "2"),
            ("RUNS_FLEET_JOBS_TABLE", "x"),
            ("RUNS_FLEET_METRICS_NAMESPACE", "bad{namespace}"),
            ("RUNS_FLEET_TERMINATION_QUEUE_URL", "runs-fleet-termination.fifo")));

        string[] expected =
        [
            "TEMPORAL_ADDRESS", "RUNS_FLEET_TASK_QUEUE", "RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "RUNS_FLEET_SHUTDOWN_SECONDS",
            "RUNS_FLEET_HEALTH_FILE", "RUNS_FLEET_APPLY_SCHEDULES", "RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES",
            "RUNS_FLEET_SCHEDULE_STALE_SSM_SPEC", "RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED", "RUNS_FLEET_JOBS_TABLE",
            "RUNS_FLEET_METRICS_NAMESPACE", "RUNS_FLEET_TERMINATION_QUEUE_URL",
        ];
        Assert.Equal(expected.Length, problem.Problems.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), problem.Problems.Select(p => p.Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.StartsWith("RunsFleet worker: invalid configuration (12 problems):", problem.Message, StringComparison.Ordinal);
        Assert.All(expected, name => Assert.Contains(name, problem.Message, StringComparison.Ordinal));
        Assert.Contains("got 'soon'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_temporal_profile_is_reported_with_the_other_problems()
    {
        var problem = Assert.Throws<SettingsException>(() => TestEnvironment.Load(
            ("TEMPORAL_PROFILE", "no-such-profile"),
            ("RUNS_FLEET_SHUTDOWN_SECONDS", "0")));

        Assert.Equal(2, problem.Problems.Count);
        Assert.Contains(problem.Problems, p => p.StartsWith("TEMPORAL_* / TEMPORAL_PROFILE", StringComparison.Ordinal) && p.Contains("no-such-profile", StringComparison.Ordinal));
        Assert.Contains(problem.Problems, p => p.StartsWith("RUNS_FLEET_SHUTDOWN_SECONDS", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RUNS_FLEET_SHUTDOWN_SECONDS", "1", true)]
    [InlineData("RUNS_FLEET_SHUTDOWN_SECONDS", "3600", true)]
    [InlineData("RUNS_FLEET_SHUTDOWN_SECONDS", "3601", false)]
    [InlineData("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "1", true)]
    [InlineData("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "0", false)]
    [InlineData("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES", "10080", true)]
    [InlineData("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES", "10081", false)]
    [InlineData("RUNS_FLEET_APPLY_SCHEDULES", "TRUE", true)]
    [InlineData("RUNS_FLEET_APPLY_SCHEDULES", "0", true)]
    [InlineData("TEMPORAL_ADDRESS", "[::1]:7233", true)]
    [InlineData("TEMPORAL_ADDRESS", "http://temporal:7233", false)]
    [InlineData("RUNS_FLEET_DEV_PORT", "65536", false)]
    public void Boundaries_of_numeric_and_shaped_settings(string variable, string value, bool valid)
    {
        var problems = Record.Exception(() => TestEnvironment.Load((variable, value))) as SettingsException;

        if (valid)
        {
            Assert.Null(problems);
        }
        else
        {
            Assert.NotNull(problems);
            Assert.StartsWith(variable + " ", Assert.Single(problems.Problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Blank_values_count_as_unset()
    {
        var settings = TestEnvironment.Load(("RUNS_FLEET_TASK_QUEUE", "  "), ("RUNS_FLEET_JOBS_TABLE", ""));

        Assert.Equal("runs-fleet", settings.TaskQueue);
        Assert.Equal("runs-fleet-jobs", settings.Get<JobsTableOptions>().TableName);
    }

    [Fact]
    public async Task Invalid_configuration_exits_with_code_8_and_one_message_on_stderr()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await WorkerApp.RunAsync(
            [],
            TestEnvironment.With(("RUNS_FLEET_SHUTDOWN_SECONDS", "x"), ("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_SPEC", "0m")),
            output,
            error,
            CancellationToken.None);

        Assert.Equal(8, exitCode);
        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        var message = error.ToString();
        Assert.Contains("invalid configuration (2 problems)", message, StringComparison.Ordinal);
        Assert.Contains("RUNS_FLEET_SHUTDOWN_SECONDS", message, StringComparison.Ordinal);
        Assert.Contains("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_SPEC", message, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task The_worker_process_exits_with_code_8_on_invalid_configuration()
    {
        var workerDll = Path.Combine(AppContext.BaseDirectory, "RunsFleet.Worker.dll");
        Assert.True(File.Exists(workerDll), $"{workerDll} is copied next to the tests by the project reference");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { workerDll },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES"] = "lots";
        start.Environment["RUNS_FLEET_JOBS_TABLE"] = "no";
        start.Environment["TEMPORAL_CONFIG_FILE"] = Path.Combine(Path.GetTempPath(), "runs-fleet-tests-no-such-temporal.toml");

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(8, process.ExitCode);
        var message = await stderr;
        Assert.Contains("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", message, StringComparison.Ordinal);
        Assert.Contains("RUNS_FLEET_JOBS_TABLE", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_exits_with_usage_code()
    {
        var error = new StringWriter();

        var exitCode = await WorkerApp.RunAsync(["schedules", "delete"], TestEnvironment.With(), new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("RunsFleet worker: Unrecognized command or argument 'delete'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("see 'dotnet run --project Worker -- help'", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Help_lists_every_command_without_reading_the_settings(string command)
    {
        var output = new StringWriter();

        var exitCode = await WorkerApp.RunAsync(
            [command], TestEnvironment.With(("RUNS_FLEET_SHUTDOWN_SECONDS", "x")), output, new StringWriter(), CancellationToken.None);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.All(["run", "dev", "schedules", "env", "help"], c => Assert.Contains($"  {c} ", output.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Env_command_prints_every_variable_with_its_default()
    {
        var output = new StringWriter();

        var exitCode = await WorkerApp.RunAsync(["env"], TestEnvironment.With(), output, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exitCode);
        var table = output.ToString();
        Assert.Contains("| `RUNS_FLEET_JOBS_TABLE` | `runs-fleet-jobs` |", table, StringComparison.Ordinal);
        Assert.Contains("| `RUNS_FLEET_SHUTDOWN_SECONDS` | `30` |", table, StringComparison.Ordinal);
        Assert.Contains("| `RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_SPEC` | `daily at 02:00 UTC` |", table, StringComparison.Ordinal);
        Assert.Contains("| `RUNS_FLEET_HEALTH_FILE` | `/tmp/runs-fleet.health` |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_housekeeping_queue_without_the_termination_queue_is_refused_before_anything_starts()
    {
        var problem = Assert.Throws<SettingsException>(() => TestEnvironment.Load(
            ("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL", "http://localhost:4566/000000000000/runs-fleet-housekeeping")));

        var line = Assert.Single(problem.Problems);
        Assert.StartsWith("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL needs RUNS_FLEET_TERMINATION_QUEUE_URL", line, StringComparison.Ordinal);
    }
}
