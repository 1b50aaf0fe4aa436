using System.Diagnostics;
using System.Text;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Tests.Hosting.Telemetry;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge;

/// <summary>The standalone bridge process (Program.cs): exit codes, refusal without a DLQ, SIGTERM, its Prometheus endpoint.</summary>
public sealed class BridgeProcessTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public BridgeProcessTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task Invalid_settings_stop_the_process_with_exit_code_8_and_every_problem_named()
    {
        using var bridge = BridgeProcess.Start(new()
        {
            [BridgeOptions.MaxConcurrencyVariable] = "0",
            [BridgeOptions.ShutdownSecondsVariable] = "never",
        });

        var exitCode = await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains(BridgeOptions.TerminationQueueUrlVariable, bridge.Error, StringComparison.Ordinal);
        Assert.Contains(BridgeOptions.MaxConcurrencyVariable, bridge.Error, StringComparison.Ordinal);
        Assert.Contains(BridgeOptions.ShutdownSecondsVariable, bridge.Error, StringComparison.Ordinal);
        Assert.Contains("3 problems", bridge.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_without_a_dead_letter_queue_stops_the_process_with_exit_code_8()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queueUrl = (await sqs.CreateQueueAsync($"no-dlq-{Guid.NewGuid():N}")).QueueUrl;
        using var bridge = BridgeProcess.Start(Environment(queueUrl));

        var exitCode = await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains("RedrivePolicy", bridge.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_queue_at_start_stops_the_process_with_exit_code_1_and_one_readable_line()
    {
        // Nothing listens on port 1: the start-up queue check cannot reach SQS.
        var variables = Environment("http://127.0.0.1:1/000000000000/runs-fleet-termination.fifo");
        variables["AWS_ENDPOINT_URL_SQS"] = "http://127.0.0.1:1";
        variables["AWS_MAX_ATTEMPTS"] = "1";
        using var bridge = BridgeProcess.Start(variables);

        var exitCode = await bridge.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("RunsFleet SqsBridge stopped:", bridge.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", bridge.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Sigterm_during_a_Temporal_outage_stops_cleanly_and_keeps_the_message()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is sent with kill(1), which Windows lacks");
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("process", visibilityTimeoutSeconds: 30);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(5));
        using var bridge = BridgeProcess.Start(Environment(queues.QueueUrl));

        await WaitUntilAsync(() => bridge.Output.Contains("kept in flight", StringComparison.Ordinal),
            "the bridge holds the message while Temporal is unreachable", TimeSpan.FromSeconds(30));
        var stopwatch = Stopwatch.StartNew();
        bridge.Terminate();
        var exitCode = await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        // The long poll under way (20 s) is never cut short; the held start is abandoned at once.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25), $"stopping took {stopwatch.Elapsed}");
        Assert.Equal(1, await TotalAsync(sqs, queues.QueueUrl));
        Assert.Equal(0, await TotalAsync(sqs, queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task The_bridge_process_serves_its_counters_on_the_prometheus_bind_as_messages_flow()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("process-metrics", visibilityTimeoutSeconds: 30);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(6));
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(7));
        await SendFifoAsync(sqs, queues.QueueUrl, "not json at all");
        var port = LoopbackPorts.GetFree();
        var environment = Environment(queues.QueueUrl);
        environment["RUNS_FLEET_PROMETHEUS_BIND"] = $"127.0.0.1:{port}";
        using var bridge = BridgeProcess.Start(environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // Temporal is unreachable: the two valid messages are held in flight, the poison one rejected.
        ScrapeText? scrape = null;
        await WaitUntilAsync(async () =>
        {
            try
            {
                scrape = new ScrapeText(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
                return scrape.Samples.Any(l => l.StartsWith("runs_fleet_bridge_messages_in_flight", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal))
                    && scrape.Samples.Any(l => l.StartsWith("runs_fleet_bridge_messages_rejected_total", StringComparison.Ordinal)
                        && l.Contains("code=\"NotJson\"", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet, or a scrape slower than 5 s on a loaded machine
            }

            // A process start, its first receives and the Temporal connection attempts take well over 30 s
            // on two loaded CI cores; a bridge that never gets there still fails.
        }, "the scrape shows two messages in flight and one rejection", TimeSpan.FromSeconds(90));

        Assert.Contains(scrape!.Samples, l => l.StartsWith("target_info{service_name=\"runs-fleet-sqs-bridge\"", StringComparison.Ordinal));
        Assert.Equal(2, scrape.Value("runs_fleet_bridge_messages_in_flight", "queue=\"termination\""));
        // The poison message is handed back at once and received again until SQS dead-letters it.
        Assert.InRange(scrape.Value("runs_fleet_bridge_messages_rejected_total", "queue=\"termination\"", "code=\"NotJson\""), 1, 3);
        Assert.True(scrape.Value("runs_fleet_bridge_messages_received_total", "queue=\"termination\"") >= 3);
        // Nothing started while Temporal is unreachable: the counter is there from the pump's start, at 0.
        Assert.Equal(0, scrape.Value("runs_fleet_bridge_workflows_started_total", "queue=\"termination\""));
        bridge.Terminate();
        Assert.Equal(0, await bridge.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private Dictionary<string, string> Environment(string queueUrl) => new()
    {
        [BridgeOptions.TerminationQueueUrlVariable] = queueUrl,
        ["TEMPORAL_ADDRESS"] = "127.0.0.1:1",
        ["AWS_ENDPOINT_URL_SQS"] = _fauxqs.ServiceUrl,
        ["AWS_REGION"] = AwsClients.Region,
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
    };

    /// <summary>The built RunsFleet.SqsBridge.dll (copied next to the tests) run by the dotnet host.</summary>
    private sealed class BridgeProcess : IDisposable
    {
        private static readonly string[] ScrubbedPrefixes = ["RUNS_FLEET_", "TEMPORAL_", "AWS_"];
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();

        private BridgeProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public string Error
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static BridgeProcess Start(Dictionary<string, string> variables)
        {
            var info = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RunsFleet.SqsBridge.dll"));
            foreach (var name in info.Environment.Keys.Where(k => ScrubbedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
            {
                info.Environment.Remove(name);
            }

            info.Environment["HOME"] = Path.Combine(Path.GetTempPath(), "runs-fleet-bridge-test-home"); // no ~/.aws, no temporal profile
            foreach (var (name, value) in variables)
            {
                info.Environment[name] = value;
            }

            var process = new Process { StartInfo = info };
            var bridge = new BridgeProcess(process);
            process.OutputDataReceived += (_, e) => Append(bridge._output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(bridge._error, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return bridge;
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }

        public void Terminate()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder target, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (target)
            {
                target.AppendLine(line);
            }
        }
    }
}
