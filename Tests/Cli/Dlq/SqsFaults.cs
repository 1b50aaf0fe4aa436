using System.Collections.Concurrent;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

/// <summary>
/// An SQS client whose calls go to fauxqs through a handler that can break one chosen call:
/// before it reaches SQS (nothing happened), after SQS answered (it happened, the caller never
/// hears), or by cancelling the command (Ctrl+C). It can also answer an operation itself, for
/// the actions fauxqs does not have. The SDK does not retry (MaxErrorRetry 0).
/// </summary>
public sealed class SqsFaults : HttpClientFactory
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Operation, string Body)> _requests = new();
    private readonly List<(string Operation, int Nth, Func<Task> Before, bool AfterAnswer)> _faults = [];
    private readonly Dictionary<string, Func<string, string>> _answers = new(StringComparer.Ordinal);

    /// <summary>Every request made, in order: operation (e.g. SendMessageBatch) and JSON body.</summary>
    public IReadOnlyList<(string Operation, string Body)> Requests => [.. _requests];

    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    /// <summary>The <paramref name="nth"/> call of <paramref name="operation"/> fails without reaching SQS.</summary>
    public SqsFaults FailBefore(string operation, int nth) =>
        Add(operation, nth, () => throw new HttpRequestException($"injected: connection reset before {operation} #{nth}"), afterAnswer: false);

    /// <summary>The <paramref name="nth"/> call of <paramref name="operation"/> reaches SQS; its answer is lost.</summary>
    public SqsFaults FailAfter(string operation, int nth) =>
        Add(operation, nth, () => throw new HttpRequestException($"injected: connection reset after {operation} #{nth}"), afterAnswer: true);

    /// <summary>Just before the <paramref name="nth"/> call of <paramref name="operation"/>, the operator presses Ctrl+C.</summary>
    public SqsFaults CancelBefore(string operation, int nth, CancellationTokenSource interrupt) =>
        Add(operation, nth, async () =>
        {
            await interrupt.CancelAsync();
            interrupt.Token.ThrowIfCancellationRequested();
        }, afterAnswer: false);

    /// <summary>Answers <paramref name="operation"/> here (status 200, JSON from the request body) instead of fauxqs.</summary>
    public SqsFaults Answer(string operation, Func<string, string> answer)
    {
        _answers[operation] = answer;
        return this;
    }

    /// <summary>A client for <paramref name="serviceUrl"/> through this handler (dispose it in the test).</summary>
    public AmazonSQSClient Client(string serviceUrl) => new(AwsClients.Credentials, new AmazonSQSConfig
    {
        ServiceURL = serviceUrl,
        AuthenticationRegion = AwsClients.Region,
        MaxErrorRetry = 0,
        HttpClientFactory = this,
    });

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private SqsFaults Add(string operation, int nth, Func<Task> fault, bool afterAnswer)
    {
        _faults.Add((operation, nth, fault, afterAnswer));
        return this;
    }

    private sealed class Handler(SqsFaults faults) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First() : request.Method.Method;
            var operation = target[(target.LastIndexOf('.') + 1)..];
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            faults._requests.Enqueue((operation, body));
            var nth = faults._calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            var fault = faults._faults.FirstOrDefault(f => f.Operation == operation && f.Nth == nth);
            if (fault.Before is not null && !fault.AfterAnswer)
            {
                await fault.Before();
            }

            if (faults._answers.TryGetValue(operation, out var answer))
            {
                return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = new StringContent(answer(body), Encoding.UTF8, "application/x-amz-json-1.0"),
                };
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (fault.Before is not null && fault.AfterAnswer)
            {
                response.Dispose();
                await fault.Before();
            }

            return response;
        }
    }
}
