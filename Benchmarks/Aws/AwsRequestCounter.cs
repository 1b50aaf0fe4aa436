using System.Collections.Concurrent;
using Amazon.Runtime;

namespace RunsFleet.Benchmarks.Aws;

/// <summary>
/// Counts the HTTP requests an AWS client sends, by operation: the X-Amz-Target of the JSON
/// protocols (SQS ReceiveMessage, DynamoDB Query, SSM DeleteParameters), the Action of the EC2
/// query protocol (DescribeInstances), or the REST shape of S3 (PutObject). Installed as the
/// client's <see cref="HttpClientFactory"/>, so every attempt the SDK makes, retries included,
/// is counted exactly where it leaves the process.
/// </summary>
internal sealed class AwsRequestCounter : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, long> _byOperation = new(StringComparer.Ordinal);
    private readonly Lazy<HttpClient> _http;

    public AwsRequestCounter()
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
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = await OperationOfAsync(request, cancellationToken);
            byOperation.AddOrUpdate(operation, 1, (_, count) => count + 1);
            return await base.SendAsync(request, cancellationToken);
        }

        private static async Task<string> OperationOfAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target)
            {
                return target[(target.LastIndexOf('.') + 1)..];
            }

            // EC2's query protocol names the operation in the form body; buffering it first keeps
            // it readable for the real send.
            if (request.Content?.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded")
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                var form = await request.Content.ReadAsStringAsync(cancellationToken);
                var action = form.Split('&').FirstOrDefault(pair => pair.StartsWith("Action=", StringComparison.Ordinal));
                if (action is not null)
                {
                    return Uri.UnescapeDataString(action["Action=".Length..]);
                }
            }

            return RestOperation(request.Method, request.RequestUri);
        }

        // S3 (path-style): /bucket is a bucket operation, /bucket/key an object operation.
        private static string RestOperation(HttpMethod method, Uri? uri)
        {
            var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
            var onObject = segments >= 2;
            return method.Method switch
            {
                "PUT" => onObject ? "PutObject" : "CreateBucket",
                "GET" => onObject ? "GetObject" : "ListObjects",
                "DELETE" => onObject ? "DeleteObject" : "DeleteBucket",
                "HEAD" => onObject ? "HeadObject" : "HeadBucket",
                var other => other,
            };
        }
    }
}

/// <summary>Requests by operation between two snapshots of an <see cref="AwsRequestCounter"/>.</summary>
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
