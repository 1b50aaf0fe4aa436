using System.Net;
using System.Net.Sockets;

namespace RunsFleet.Tests.Support;

/// <summary>Picks TCP ports nobody listens on, for emulators and fakes started by tests.</summary>
public static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768-60999), so the port is never the local port of some
    // outgoing connection (SDK clients, node) and two callers rarely draw the same one.
    private const int FirstPort = 20000;
    private const int LastPort = 32000;

    /// <summary>
    /// A port free on every interface right now (some emulators bind 0.0.0.0), drawn at random
    /// from 20000-32000. Another process may still take it before the caller binds; callers retry
    /// on another port (<see cref="EmulatorProcess"/> and <see cref="LoopbackAwsServer"/> do).
    /// </summary>
    public static int GetFree()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(FirstPort, LastPort);
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: draw another.
            }
        }

        throw new InvalidOperationException($"No free TCP port found between {FirstPort} and {LastPort}.");
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
