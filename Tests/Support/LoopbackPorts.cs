using System.Net;
using System.Net.Sockets;

namespace RunsFleet.Tests.Support;

/// <summary>Picks TCP ports nobody listens on, for emulators and fakes started by tests.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port free on every interface right now (some emulators bind 0.0.0.0). Another process
    /// may still take it before the caller binds; <see cref="EmulatorProcess"/> retries for that.
    /// </summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
