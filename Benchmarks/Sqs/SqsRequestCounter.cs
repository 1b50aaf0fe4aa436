using System.Collections.Concurrent;
using Amazon.Runtime;

namespace RunsFleet.Benchmarks.Sqs;

/// <summary>
/// Counts the HTTP requests an SQS client sends, by operation (the X-Amz-Target of the JSON
/// protocol, e.g. ReceiveMessage). Installed as the client's <see cref="HttpClientFactory"/>,
/// so every attempt the SDK makes, retries included, is counted exactly where it leaves the process.
/// </summary>
internal sealed class SqsRequestCounter : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, long> _byOperation = new(StringComparer.Ordinal);
    private readonly Lazy<HttpClient> _http;

    public SqsRequestCounter()
    {
        _http = new Lazy<HttpClient>(() => new HttpClient(new CountingHandler(_byOperation), disposeHandler: true));
    }

    /// <summary>Requests so far, by operation.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_byOperation, StringComparer.Ordinal);

    // One HttpClient (one connection pool) for every client on this counter, whatever the SDK's
    // own caching would do: counting must not change how connections are made.
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _http.Value;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class CountingHandler(ConcurrentDictionary<string, long> byOperation)
        : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target
                ? target[(target.LastIndexOf('.') + 1)..]
                : request.Method.Method;
            byOperation.AddOrUpdate(operation, 1, (_, count) => count + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Requests by operation between two snapshots of a <see cref="SqsRequestCounter"/>.</summary>
internal sealed record RequestCounts(IReadOnlyDictionary<string, long> ByOperation)
{
    public long Total => ByOperation.Values.Sum();

    public static RequestCounts Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        new(after
            .Select(pair => (pair.Key, Count: pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Count > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Count, StringComparer.Ordinal));

    public override string ToString() =>
        string.Join(", ", ByOperation.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
}
