using Temporalio.Exceptions;

namespace RunsFleet.SqsBridge.Starting;

/// <summary>How the bridge answers a start that did not go through.</summary>
public enum StartFailureKind
{
    /// <summary>Temporal (or the way to it) is busy, restarting or briefly unreachable: the same start
    /// will go through later. The message is kept in flight and the start retried in-process.</summary>
    Transient,

    /// <summary>Temporal answered and said no for a reason no retry can fix (unknown namespace,
    /// unregistered search attribute, bad credentials): receiving stops until a retried
    /// start goes through, and the bridge reports itself unhealthy.</summary>
    Refused,
}

/// <summary>A classified start failure: its kind and a short cause for logs and health.</summary>
/// <param name="Kind">Retry in place, or stop receiving.</param>
/// <param name="Cause">E.g. "Unavailable: connection refused" or "InvalidArgument: search attribute ... is not
/// defined".</param>
internal sealed record StartFailure(StartFailureKind Kind, string Cause);

/// <summary>Sorts what a workflow start can throw. Every gRPC status code is decided here on purpose,
/// so a new kind of refusal shows up in one table (and its test) instead of as a surprise.</summary>
internal static class StartFailures
{
    public static StartFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RpcException rpc => new StartFailure(KindOf(rpc.Code), $"{rpc.Code}: {rpc.Message}"),

            // Transport trouble before any answer: the connection, a timeout of our own RPC
            // deadline, or the lazy client failing to connect ("Connection failed").
            HttpRequestException or IOException or TimeoutException or OperationCanceledException
                or InvalidOperationException
                => new StartFailure(StartFailureKind.Transient, $"{exception.GetType().Name}: {exception.Message}"),

            // Anything else is a fault we do not understand (a serialization bug, say): retrying
            // every message blindly would hide it, so stop receiving and say so loudly.
            _ => new StartFailure(StartFailureKind.Refused, $"{exception.GetType().Name}: {exception.Message}"),
        };
    }

    /// <summary>The bridge's decision for each gRPC status code of a refused start.</summary>
    public static StartFailureKind KindOf(RpcException.StatusCode code) => code switch
    {
        // The server or a proxy in front of it is overloaded, restarting or timed out.
        RpcException.StatusCode.Unavailable
            or RpcException.StatusCode.DeadlineExceeded
            or RpcException.StatusCode.ResourceExhausted
            or RpcException.StatusCode.Aborted
            or RpcException.StatusCode.Internal
            or RpcException.StatusCode.Unknown
            or RpcException.StatusCode.Cancelled
            or RpcException.StatusCode.DataLoss => StartFailureKind.Transient,

        // The request itself, the namespace or our credentials are wrong: only an operator fixes it.
        RpcException.StatusCode.InvalidArgument
            or RpcException.StatusCode.NotFound
            or RpcException.StatusCode.FailedPrecondition
            or RpcException.StatusCode.PermissionDenied
            or RpcException.StatusCode.Unauthenticated
            or RpcException.StatusCode.Unimplemented
            or RpcException.StatusCode.OutOfRange
            or RpcException.StatusCode.AlreadyExists
            or RpcException.StatusCode.OK => StartFailureKind.Refused,

        _ => StartFailureKind.Refused,
    };
}
