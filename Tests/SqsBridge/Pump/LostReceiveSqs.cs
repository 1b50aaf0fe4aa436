using System.Collections.Concurrent;
using System.Reflection;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// An <see cref="IAmazonSQS"/> over a real client whose first ReceiveMessage answers are lost
/// after SQS has answered (the messages are in flight, the caller sees an error), as when a
/// connection drops mid-response. Records every receive's attempt id.
/// </summary>
public class LostReceiveSqs : DispatchProxy
{
    private readonly ConcurrentQueue<string?> _attemptIds = new();
    private IAmazonSQS _inner = null!;
    private int _lostLeft;

    public static IAmazonSQS Wrap(IAmazonSQS inner, int lost)
    {
        var proxy = Create<IAmazonSQS, LostReceiveSqs>();
        var self = (LostReceiveSqs)(object)proxy;
        self._inner = inner;
        self._lostLeft = lost;
        return proxy;
    }

    public static IReadOnlyList<string?> AttemptIds(IAmazonSQS proxy) => [.. ((LostReceiveSqs)(object)proxy)._attemptIds];

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IAmazonSQS.ReceiveMessageAsync) && args?[0] is ReceiveMessageRequest request)
        {
            _attemptIds.Enqueue(request.ReceiveRequestAttemptId);
            return ReceiveAsync(request, (CancellationToken)args[1]!);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private async Task<ReceiveMessageResponse> ReceiveAsync(ReceiveMessageRequest request, CancellationToken cancellationToken)
    {
        var response = await _inner.ReceiveMessageAsync(request, cancellationToken);
        if ((response.Messages?.Count ?? 0) > 0 && Interlocked.Decrement(ref _lostLeft) >= 0)
        {
            throw new HttpRequestException("connection reset while reading the response (simulated)");
        }

        return response;
    }
}
