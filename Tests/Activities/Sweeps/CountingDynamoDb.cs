using System.Collections.Concurrent;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Tests.Activities.Sweeps;

/// <summary>
/// Wraps a real <see cref="IAmazonDynamoDB"/> (dynalite): counts every call by operation and
/// can hold back chosen BatchWriteItem requests, answering with them as UnprocessedItems the way
/// a throttled DynamoDB does (dynalite itself never leaves items unprocessed).
/// </summary>
public class CountingDynamoDb : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private IAmazonDynamoDB _inner = null!;
    private Func<int, string, bool> _holdBack = (_, _) => false;
    private Func<int, Exception?> _batchWriteError = _ => null;
    private Func<int, string, bool> _holdBackReads = (_, _) => false;
    private int _batchGetCalls;
    private int _batchWriteCalls;
    private int _batchWritesInFlight;
    private int _maxBatchWritesInFlight;

    /// <summary>Creates a counting proxy around <paramref name="inner"/>.</summary>
    public static (IAmazonDynamoDB Client, CountingDynamoDb Counter) Wrap(IAmazonDynamoDB inner)
    {
        var client = Create<IAmazonDynamoDB, CountingDynamoDb>();
        var counter = (CountingDynamoDb)(object)client;
        counter._inner = inner;
        return (client, counter);
    }

    /// <summary>
    /// Decides per BatchWriteItem call (1-based call number) and job_id whether DynamoDB leaves the
    /// delete unprocessed.
    /// </summary>
    public void HoldBack(Func<int, string, bool> predicate) => _holdBack = predicate;

    /// <summary>
    /// Decides per BatchGetItem call (1-based call number) and job_id whether DynamoDB leaves the key
    /// unprocessed, as a throttled table does (dynalite itself answers every key).
    /// </summary>
    public void HoldBackReads(Func<int, string, bool> predicate) => _holdBackReads = predicate;

    /// <summary>Keys of every BatchGetItem request, in call order.</summary>
    public ConcurrentQueue<int> BatchGetSizes { get; } = new();

    /// <summary>Makes chosen BatchWriteItem calls (1-based call number) throw instead of writing.</summary>
    public void FailBatchWrite(Func<int, Exception?> error) => _batchWriteError = error;

    /// <summary>Calls of an operation, e.g. "Query" or "BatchWriteItem".</summary>
    public int Count(string operation) => _calls.GetValueOrDefault(operation);

    /// <summary>
    /// How long each BatchWriteItem takes at least (a real round trip), so calls that overlap
    /// are seen to overlap; zero by default.
    /// </summary>
    public TimeSpan BatchWriteLatency { get; set; }

    /// <summary>Most BatchWriteItem calls that were in flight at the same time.</summary>
    public int MaxBatchWritesInFlight => Volatile.Read(ref _maxBatchWritesInFlight);

    /// <summary>Sizes of every BatchWriteItem request, in call order.</summary>
    public ConcurrentQueue<int> BatchWriteSizes { get; } = new();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var operation = targetMethod.Name.EndsWith("Async", StringComparison.Ordinal) ? targetMethod.Name[..^"Async".Length] : targetMethod.Name;
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (targetMethod.Name == nameof(IAmazonDynamoDB.BatchWriteItemAsync) && args is [BatchWriteItemRequest request, CancellationToken token])
        {
            return BatchWriteAsync(request, token);
        }

        if (targetMethod.Name == nameof(IAmazonDynamoDB.BatchGetItemAsync) && args is [BatchGetItemRequest get, CancellationToken getToken])
        {
            return BatchGetAsync(get, getToken);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private async Task<BatchWriteItemResponse> BatchWriteAsync(BatchWriteItemRequest request, CancellationToken cancellationToken)
    {
        var inFlight = Interlocked.Increment(ref _batchWritesInFlight);
        try
        {
            int seen;
            while (inFlight > (seen = Volatile.Read(ref _maxBatchWritesInFlight))
                && Interlocked.CompareExchange(ref _maxBatchWritesInFlight, inFlight, seen) != seen)
            {
            }

            if (BatchWriteLatency > TimeSpan.Zero)
            {
                await Task.Delay(BatchWriteLatency, cancellationToken);
            }

            return await WriteHoldingBackAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _batchWritesInFlight);
        }
    }

    private async Task<BatchWriteItemResponse> WriteHoldingBackAsync(BatchWriteItemRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _batchWriteCalls);
        if (_batchWriteError(call) is { } error)
        {
            throw error;
        }

        var send = new Dictionary<string, List<WriteRequest>>();
        var heldBack = new Dictionary<string, List<WriteRequest>>();
        foreach (var (table, writes) in request.RequestItems)
        {
            BatchWriteSizes.Enqueue(writes.Count);
            foreach (var write in writes)
            {
                var jobId = write.DeleteRequest?.Key["job_id"].N ?? write.PutRequest?.Item["job_id"].N ?? string.Empty;
                var target = _holdBack(call, jobId) ? heldBack : send;
                (target.TryGetValue(table, out var list) ? list : target[table] = []).Add(write);
            }
        }

        var response = send.Count == 0
            ? new BatchWriteItemResponse()
            : await _inner.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = send }, cancellationToken);
        response.UnprocessedItems = heldBack;
        return response;
    }

    private async Task<BatchGetItemResponse> BatchGetAsync(BatchGetItemRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _batchGetCalls);
        var send = new Dictionary<string, KeysAndAttributes>();
        var heldBack = new Dictionary<string, KeysAndAttributes>();
        foreach (var (table, keys) in request.RequestItems)
        {
            BatchGetSizes.Enqueue(keys.Keys.Count);
            foreach (var key in keys.Keys)
            {
                var target = _holdBackReads(call, key["job_id"].N) ? heldBack : send;
                if (!target.TryGetValue(table, out var entry))
                {
                    entry = target[table] = new KeysAndAttributes
                    {
                        Keys = [],
                        ProjectionExpression = keys.ProjectionExpression,
                        ExpressionAttributeNames = keys.ExpressionAttributeNames,
                    };
                }

                entry.Keys.Add(key);
            }
        }

        var response = send.Count == 0
            ? new BatchGetItemResponse { Responses = [] }
            : await _inner.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = send }, cancellationToken);
        response.UnprocessedKeys = heldBack;
        return response;
    }
}
