using System.Collections.Concurrent;
using Amazon.Runtime;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Gives an AWS client an HttpClient that counts every request by its operation
/// (X-Amz-Target for JSON protocols, Action= for the EC2 query protocol, method for
/// REST), so tests can assert how many AWS calls a sweep made.
/// </summary>
public sealed class CountingHttpClientFactory : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public int Count(string operation) => _counts.GetValueOrDefault(operation);

    public int Total => _counts.Values.Sum();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new CountingHandler(_counts));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class CountingHandler(ConcurrentDictionary<string, int> counts) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counts.AddOrUpdate(await OperationAsync(request, cancellationToken), 1, (_, n) => n + 1);
            return await base.SendAsync(request, cancellationToken);
        }

        private static async Task<string> OperationAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
            {
                var target = targets.First();
                return target[(target.LastIndexOf('.') + 1)..];
            }

            if (request.Content is not null && request.Method == HttpMethod.Post)
            {
                var body = await request.Content.ReadAsStringAsync(cancellationToken);
                var action = body.Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal));
                if (action is not null)
                {
                    return action["Action=".Length..];
                }
            }

            return request.Method.Method;
        }
    }
}
