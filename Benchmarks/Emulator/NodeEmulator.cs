using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RunsFleet.Benchmarks.Emulator;

/// <summary>
/// How to start one npm emulator of Tests/Emulators: its name, its cli script below
/// node_modules, and the arguments and environment that put it on a given port.
/// </summary>
/// <param name="Name">Package name, for messages (fauxqs, dynalite).</param>
/// <param name="Cli">Path of its cli script relative to Tests/Emulators/node_modules.</param>
/// <param name="Arguments">Arguments after the script, for a port.</param>
/// <param name="Environment">Environment variables, for a port.</param>
internal sealed record EmulatorLaunch(
    string Name,
    string Cli,
    Func<int, IReadOnlyList<string>> Arguments,
    Func<int, IReadOnlyDictionary<string, string>> Environment);

/// <summary>
/// A node emulator process (fauxqs, dynalite) of the benchmark's own, on a free port. Emulators
/// may print logs whatever they are told (fauxqs logs JSON to stdout), so the output is read
/// continuously (a full pipe would stall it) and only the last lines are kept for error messages.
/// Dispose kills it; a preloaded script also ends it if the benchmark process dies.
/// </summary>
internal sealed class NodeEmulator : IAsyncDisposable
{
    private const int KeptLines = 30;
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);

    private readonly Process _node;
    private readonly Queue<string> _lastLines = new();

    private NodeEmulator(Process node, int port)
    {
        _node = node;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Loopback address the AWS clients talk to.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<NodeEmulator> StartAsync(string repositoryRoot, EmulatorLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var emulators = Path.Combine(repositoryRoot, "Tests", "Emulators");
        var cli = Path.Combine(emulators, "node_modules", launch.Cli);
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException(
                $"{launch.Name} is not installed ({cli} is missing). Run: npm ci --prefix Tests/Emulators --no-audit --no-fund");
        }

        // A port can be taken between choosing and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(emulators, cli, launch, FreePort());
            if (await server.WaitUntilListeningAsync(cancellationToken))
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException(
                    $"{launch.Name} did not start on port {server.Port} after {attempt} attempts. Last output:\n{server.LastOutput}");
            }
        }
    }

    public string LastOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_node.HasExited)
            {
                _node.Kill(entireProcessTree: true);
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _node.WaitForExitAsync(patience.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or not ours to kill any more: nothing left to stop.
        }
        finally
        {
            _node.Dispose();
        }
    }

    private static NodeEmulator Launch(string workingDirectory, string cli, EmulatorLaunch launch, int port)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("--require");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Emulator", "exit-with-parent.js"));
        startInfo.ArgumentList.Add(cli);
        foreach (var argument in launch.Arguments(port))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment(port))
        {
            startInfo.Environment[name] = value;
        }

        var node = new Process { StartInfo = startInfo };
        var server = new NodeEmulator(node, port);
        node.OutputDataReceived += (_, line) => server.Keep(line.Data);
        node.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        try
        {
            node.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            node.Dispose();
            throw new InvalidOperationException("`node` could not be started; the benchmark needs Node.js 20+ on PATH.", e);
        }

        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        return server;
    }

    // Port 0 lets the OS pick one that is free on every interface (fauxqs binds 0.0.0.0).
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private async Task<bool> WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartupLimit && !_node.HasExited)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                // Someone else may own the port if our node died in between.
                return !_node.HasExited;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
