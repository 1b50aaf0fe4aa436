using System.Diagnostics;

namespace RunsFleet.Tests.Support;

/// <summary>
/// A node emulator (dynalite, fauxqs, ...) running on a free loopback port for the duration of a
/// fixture. <c>await EmulatorProcess.StartAsync("dynalite", port => new(["node_modules/dynalite/cli.js", "--port", port.ToString()]))</c>
/// installs Tests/Emulators if needed, starts node there, waits until the port accepts connections
/// and kills the whole process tree on dispose. stdout/stderr are drained continuously (so a chatty
/// emulator never blocks on a full pipe) and their tail is put into startup errors.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    // Preloaded into every emulator: exits when our end of its stdin pipe closes, i.e. when the
    // test process dies without disposing the fixture (crash, aborted run), so no node is left behind.
    private const string WatchdogScript = """
        process.stdin.on('end', () => process.exit(0));
        process.stdin.on('error', () => process.exit(0));
        process.stdin.resume();
        if (typeof process.stdin.unref === 'function') { process.stdin.unref(); }
        """;

    private static readonly Lazy<string> Watchdog = new(WriteWatchdog);
    private readonly Process _process;
    private readonly Queue<string> _outputTail = new();

    private EmulatorProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        _process = process;
    }

    /// <summary>Short name used in messages (e.g. "dynalite").</summary>
    public string Name { get; }

    /// <summary>The loopback port the emulator listens on.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:{Port}</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>True while the node process is alive.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The last lines the emulator wrote to stdout/stderr (for diagnostics).</summary>
    public string OutputTail
    {
        get
        {
            lock (_outputTail)
            {
                return string.Join('\n', _outputTail);
            }
        }
    }

    /// <summary>
    /// Starts <c>node &lt;args&gt;</c> in Tests/Emulators on a free port. <paramref name="launch"/> maps the
    /// chosen port to the node arguments and extra environment variables. Retries on another port
    /// when the process dies with EADDRINUSE (port taken in between); otherwise throws with the output tail.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(
        string name,
        Func<int, EmulatorLaunch> launch,
        TimeSpan? startupTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var node = NodeEmulators.NodeExecutable;
        await NodeEmulators.EnsureInstalledAsync(cancellationToken);
        var timeout = startupTimeout ?? TimeSpan.FromSeconds(30);

        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.GetFree();
            var emulator = Launch(name, node, port, launch(port));
            var outcome = await emulator.WaitUntilAnsweringAsync(timeout, cancellationToken);
            if (outcome == StartOutcome.Answering)
            {
                return emulator;
            }

            // Dispose first: it waits until stdout/stderr are drained, so the tail is complete.
            await emulator.DisposeAsync();
            var tail = emulator.OutputTail;
            // Only a lost port race is worth another try; any other early exit is a real failure.
            if (outcome == StartOutcome.Exited && attempt < attempts && tail.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                continue;
            }

            var why = outcome == StartOutcome.Exited
                ? "exited before it answered"
                : $"did not answer within {timeout.TotalSeconds:0} s";
            throw new InvalidOperationException(
                $"Emulator {name} on port {port} {why} (attempt {attempt}/{attempts}). Output tail:\n{tail}");
        }
    }

    private static EmulatorProcess Launch(string name, string node, int port, EmulatorLaunch launch)
    {
        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepositoryFiles.Emulators,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--require");
        startInfo.ArgumentList.Add(Watchdog.Value);
        foreach (var arg in launch.Arguments)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in launch.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(name, port, process);
        process.OutputDataReceived += (_, e) => emulator.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Remember(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start node for emulator {name}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    private static string WriteWatchdog()
    {
        // One file per script version, shared by all test processes; written atomically (temp + move).
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WatchdogScript)))[..12];
        var path = Path.Combine(Path.GetTempPath(), $"runsfleet-emulator-watchdog-{hash}.js");
        if (!File.Exists(path))
        {
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, WatchdogScript);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputTail)
        {
            _outputTail.Enqueue(line);
            while (_outputTail.Count > TailLines)
            {
                _outputTail.Dequeue();
            }
        }
    }

    private async Task<StartOutcome> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (!IsRunning)
            {
                return StartOutcome.Exited;
            }

            if (await LoopbackPorts.AnswersAsync(Port, cancellationToken))
            {
                // The port may belong to someone else if our process died meanwhile.
                return IsRunning ? StartOutcome.Answering : StartOutcome.Exited;
            }

            await Task.Delay(50, cancellationToken);
        }

        return StartOutcome.TimedOut;
    }

    /// <summary>
    /// Closes the emulator's stdin, which is what it sees when the test process dies; the preloaded
    /// watchdog then exits it. Only for testing that behaviour; fixtures use DisposeAsync.
    /// </summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Kills the emulator's whole process tree and waits briefly for it to go.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            // Also when it had exited already: this waits for the output pipes to be read to the end.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone or not killable: nothing more a test can do about it.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private enum StartOutcome
    {
        Answering,
        Exited,
        TimedOut,
    }
}

/// <summary>
/// How to start one emulator: <c>new EmulatorLaunch(["node_modules/x/cli.js", "--port", "1234"]) { Environment = { ["X_PORT"] = "1234" } }</c>.
/// </summary>
/// <param name="Arguments">Arguments after `node` (script path relative to Tests/Emulators first).</param>
public sealed record EmulatorLaunch(IReadOnlyList<string> Arguments)
{
    /// <summary>Extra environment variables for the node process.</summary>
    public Dictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// dynalite (in-memory DynamoDB) through dynalite-strict.js, which refuses an empty string in a
    /// secondary index key as DynamoDB does; tables and indexes ACTIVE at once (--createTableMs 0).
    /// </summary>
    public static EmulatorLaunch Dynalite(int port) =>
        new(["dynalite-strict.js", "--host", "127.0.0.1", "--port", Text(port), "--createTableMs", "0"]);

    /// <summary>fauxqs: SQS and S3 (path-style) on one port, without its request log.</summary>
    public static EmulatorLaunch Fauxqs(int port) => new(["node_modules/fauxqs/dist/cli.js"])
    {
        Environment = { ["FAUXQS_PORT"] = Text(port), ["FAUXQS_LOGGER"] = "false" },
    };

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
