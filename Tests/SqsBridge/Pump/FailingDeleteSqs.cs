using System.Reflection;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// An <see cref="IAmazonSQS"/> that forwards to a real client but reports the first entry of
/// the next DeleteMessageBatch calls as failed (without deleting it), as SQS does for a
/// stale receipt handle.
/// </summary>
public class FailingDeleteSqs : DispatchProxy
{
    private IAmazonSQS _inner = null!;
    private int _failuresLeft;

    public static IAmazonSQS Wrap(IAmazonSQS inner, int failures)
    {
        var proxy = Create<IAmazonSQS, FailingDeleteSqs>();
        var self = (FailingDeleteSqs)(object)proxy;
        self._inner = inner;
        self._failuresLeft = failures;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IAmazonSQS.DeleteMessageBatchAsync) && args?[0] is DeleteMessageBatchRequest request
            && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return DeleteAllButFirstAsync(request, (CancellationToken)args[1]!);
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

    private async Task<DeleteMessageBatchResponse> DeleteAllButFirstAsync(DeleteMessageBatchRequest request, CancellationToken cancellationToken)
    {
        var first = request.Entries[0];
        var rest = request.Entries.Skip(1).ToList();
        var response = rest.Count == 0
            ? new DeleteMessageBatchResponse { Successful = [], Failed = [] }
            : await _inner.DeleteMessageBatchAsync(new DeleteMessageBatchRequest { QueueUrl = request.QueueUrl, Entries = rest }, cancellationToken);
        response.Failed ??= [];
        response.Failed.Add(new BatchResultErrorEntry { Id = first.Id, Code = "ReceiptHandleIsInvalid", Message = "simulated", SenderFault = true });
        return response;
    }
}
