using System.Diagnostics;
using RunsFleet.Hosting;
using RunsFleet.Worker;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Dev;
using RunsFleet.Workflows.Common;
using Temporalio.Testing;

namespace RunsFleet.Tests.Worker.Dev;

public sealed class DevModeTests
{
    [Fact]
    public async Task A_missing_cli_at_TEMPORAL_CLI_PATH_fails_fast_with_what_to_install_or_set()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "temporal");
        var output = new StringWriter();
        var error = new StringWriter();
        var clock = Stopwatch.StartNew();

        var exitCode = await WorkerApp.RunAsync(["dev"], TestEnvironment.With(("TEMPORAL_CLI_PATH", missing)), output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.DevServerUnavailable, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var message = error.ToString();
        Assert.Contains($"TEMPORAL_CLI_PATH={missing} does not exist", message, StringComparison.Ordinal);
        AssertSaysWhatToDo(message);
    }

    [SkippableFact]
    public async Task Without_TEMPORAL_CLI_PATH_and_no_download_it_fails_fast_with_what_to_install_or_set()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var serverStarted = false;

        // The real SDK path: it tries to download the CLI. Where that works (a laptop with
        // internet) dev mode would run; the test then stops it and is skipped below.
        var exitCode = await WorkerApp.RunAsync(
            ["dev"],
            TestEnvironment.With(("RUNS_FLEET_DEV_PORT", Text(FreePort())), ("RUNS_FLEET_DEV_UI_PORT", Text(FreePort()))),
            output,
            error,
            stop.Token,
            async options =>
            {
                var environment = await WorkflowEnvironment.StartLocalAsync(options);
                serverStarted = true;
                await stop.CancelAsync();
                return environment;
            });

        Skip.If(serverStarted, "this machine can download the Temporal CLI, so the no-CLI failure path cannot happen here");
        Assert.Equal(ExitCodes.DevServerUnavailable, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("TEMPORAL_CLI_PATH is not set", output.ToString(), StringComparison.Ordinal);
        AssertSaysWhatToDo(error.ToString());
    }

    [Fact]
    public async Task A_file_that_is_not_a_temporal_cli_fails_within_the_sdk_startup_timeout()
    {
        var fake = Path.Combine(Path.GetTempPath(), $"not-temporal-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            var error = new StringWriter();
            var clock = Stopwatch.StartNew();

            var exitCode = await WorkerApp.RunAsync(
                ["dev"],
                TestEnvironment.With(("TEMPORAL_CLI_PATH", fake), ("RUNS_FLEET_DEV_PORT", Text(FreePort()))),
                new StringWriter(),
                error,
                CancellationToken.None);

            Assert.Equal(ExitCodes.DevServerUnavailable, exitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
            Assert.Contains("cannot start a local Temporal dev server", error.ToString(), StringComparison.Ordinal);
            AssertSaysWhatToDo(error.ToString());
        }
        finally
        {
            File.Delete(fake);
        }
    }

    [Fact]
    public async Task A_dev_server_that_never_comes_up_is_abandoned_after_the_start_timeout()
    {
        var settings = TestEnvironment.Load();
        var error = new StringWriter();
        var never = new TaskCompletionSource<WorkflowEnvironment>();

        var exitCode = await DevMode.RunAsync(settings, new StringWriter(), error, CancellationToken.None, _ => never.Task, TimeSpan.FromMilliseconds(200));

        Assert.Equal(ExitCodes.DevServerUnavailable, exitCode);
        Assert.Contains("did not start within", error.ToString(), StringComparison.Ordinal);
        AssertSaysWhatToDo(error.ToString());
    }

    [Fact]
    public async Task Once_a_server_is_up_dev_mode_prints_the_ui_applies_schedules_and_runs_the_worker()
    {
        // A "started" server whose port answers nothing: every step after the start runs
        // for real and fails the way it would if the server died, instead of hanging.
        var port = FreePort();
        var settings = TestEnvironment.Load(("RUNS_FLEET_DEV_PORT", Text(port)), ("RUNS_FLEET_DEV_UI_PORT", "18233"));
        WorkflowEnvironmentStartLocalOptions? started = null;
        var output = new StringWriter();
        var clock = Stopwatch.StartNew();

        var exitCode = await DevMode.RunAsync(
            settings with { HealthFile = Path.Combine(Path.GetTempPath(), $"dev-{Guid.NewGuid():N}.health") },
            output,
            new StringWriter(),
            CancellationToken.None,
            options =>
            {
                started = options;
                return Task.FromResult(new WorkflowEnvironment(Temporalio.Client.TemporalClient.CreateLazy(new(options.TargetHost!))));
            });

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal($"127.0.0.1:{port}", started!.TargetHost);
        var text = output.ToString();
        Assert.Contains($"Temporal dev server: 127.0.0.1:{port} (namespace default)", text, StringComparison.Ordinal);
        Assert.Contains("Temporal UI:         http://127.0.0.1:18233", text, StringComparison.Ordinal);
        Assert.Contains("Applying the sweep schedules failed", text, StringComparison.Ordinal);
        Assert.Contains("Worker polling task queue runs-fleet", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dev_server_starts_with_ui_search_attributes_and_the_configured_cli()
    {
        var options = DevMode.StartOptions(new DevServerSettings("/opt/temporal", 17233, 18233));

        Assert.True(options.UI);
        Assert.Equal(18233, options.UIPort);
        Assert.Equal("127.0.0.1:17233", options.TargetHost);
        Assert.Equal("default", options.Namespace);
        Assert.Equal("/opt/temporal", options.DevServerOptions.ExistingPath);
        Assert.Equal(
            ["RunsFleetJobId", "RunsFleetInstanceId", "RunsFleetPool", "RunsFleetSweepType"],
            options.SearchAttributes!.Select(k => k.Name));
        Assert.Equal(RunsFleetSearchAttributes.All.Count, options.SearchAttributes!.Count);
    }

    private static void AssertSaysWhatToDo(string message)
    {
        Assert.Contains("Install the Temporal CLI", message, StringComparison.Ordinal);
        Assert.Contains("TEMPORAL_CLI_PATH=/path/to/temporal", message, StringComparison.Ordinal);
        Assert.Contains("docker compose -f docker-compose.temporal.yml up", message, StringComparison.Ordinal);
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
