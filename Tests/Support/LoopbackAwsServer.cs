using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Base of the loopback AWS fakes (<see cref="FakeSsmServer"/>, <see cref="FakeEc2Server"/>): an
/// HTTP server on 127.0.0.1:free-port that records every request (<see cref="Requests"/>,
/// <see cref="Count"/>), can fail the next calls of an operation (<see cref="FailNext"/>) and lets
/// tests add or replace operation handlers (<see cref="Handle"/>). Point a real SDK client at
/// <see cref="ServiceUrl"/> (see <see cref="AwsClients"/>). Dispose to stop it.
/// </summary>
public abstract class LoopbackAwsServer : IAsyncDisposable, IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, Func<FakeRequest, FakeResponse>> _handlers = new(StringComparer.Ordinal);
    private readonly List<FakeRequest> _requests = [];
    private readonly Dictionary<string, Queue<InjectedFailure>> _failures = new(StringComparer.Ordinal);
    private int _requestCounter;

    /// <summary>Starts listening at once on a free loopback port.</summary>
    protected LoopbackAwsServer()
    {
        (_listener, Port) = StartListener();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:{Port}/ to use as the client's ServiceURL.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>Every request received so far (including failed/injected ones), in arrival order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests of one operation, in arrival order.</summary>
    public IReadOnlyList<FakeRequest> RequestsFor(string operation) =>
        [.. Requests.Where(r => r.Operation == operation)];

    /// <summary>How many requests of <paramref name="operation"/> arrived (SDK retries count separately).</summary>
    public int Count(string operation) => Requests.Count(r => r.Operation == operation);

    /// <summary>Forgets the request log (injected failures and data stay).</summary>
    public void ClearRequests()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="operation"/> answer with AWS error
    /// <paramref name="errorCode"/> (status: <paramref name="statusCode"/> or the usual one for that code)
    /// instead of running. Note the SDK retries throttling/5xx errors itself unless the client was
    /// created with <c>maxErrorRetry: 0</c>.
    /// </summary>
    public void FailNext(string operation, string errorCode, int times = 1, string? message = null, int? statusCode = null)
    {
        lock (_failures)
        {
            if (!_failures.TryGetValue(operation, out var queue))
            {
                _failures[operation] = queue = new Queue<InjectedFailure>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(new InjectedFailure(errorCode, message ?? $"Injected {errorCode} for {operation}", statusCode));
            }
        }
    }

    /// <summary>
    /// Adds or replaces the handler of <paramref name="operation"/>. The handler returns the
    /// response (e.g. <see cref="FakeResponse.Json"/>) or throws <see cref="FakeAwsErrorException"/>.
    /// </summary>
    public void Handle(string operation, Func<FakeRequest, FakeResponse> handler) => _handlers[operation] = handler;

    /// <summary>Name of the operation a request asks for (null when it names none).</summary>
    protected abstract string? OperationOf(HttpListenerRequest request, IReadOnlyDictionary<string, string> form);

    /// <summary>True when the body is form-encoded query parameters (EC2) rather than JSON.</summary>
    protected abstract bool UsesFormBody { get; }

    /// <summary>Renders an AWS error in this service's wire format.</summary>
    protected abstract FakeResponse Error(string code, string message, int? statusCode, string requestId);

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var requestId = $"fake-{Interlocked.Increment(ref _requestCounter):D6}";
        FakeResponse response;
        try
        {
            response = await AnswerAsync(context.Request, requestId);
        }
        catch (Exception ex)
        {
            response = Error("InternalFailure", $"Fake server bug: {ex}", 500, requestId);
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (timeout, test finished); nothing to answer.
        }
    }

    private async Task<FakeResponse> AnswerAsync(HttpListenerRequest http, string requestId)
    {
        string body;
        using (var reader = new StreamReader(http.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var form = UsesFormBody ? FormEncoding.Parse(body) : new Dictionary<string, string>(StringComparer.Ordinal);
        var operation = OperationOf(http, form) ?? "(none)";
        var headers = http.Headers.AllKeys
            .Where(k => k is not null)
            .ToDictionary(k => k!, k => http.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(operation, body, form, headers);
        lock (_requests)
        {
            _requests.Add(request);
        }

        if (TakeInjectedFailure(operation) is { } failure)
        {
            return Error(failure.Code, failure.Message, failure.StatusCode, requestId);
        }

        if (!_handlers.TryGetValue(operation, out var handler))
        {
            return Error("InvalidAction", $"The fake does not implement {operation}.", 400, requestId);
        }

        try
        {
            return handler(request);
        }
        catch (FakeAwsErrorException error)
        {
            return Error(error.Code, error.Message, error.StatusCode, requestId);
        }
    }

    private InjectedFailure? TakeInjectedFailure(string operation)
    {
        lock (_failures)
        {
            return _failures.TryGetValue(operation, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
    }

    private static (HttpListener Listener, int Port) StartListener()
    {
        var errors = new List<string>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = LoopbackPorts.GetFree();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                candidate.Start();
                return (candidate, port);
            }
            catch (Exception ex) when (ex is HttpListenerException or System.Net.Sockets.SocketException)
            {
                // Someone took the port between the check and the bind: try another.
                errors.Add($"{port}: {ex.Message}");
                try
                {
                    candidate.Close();
                }
                catch (Exception closeError) when (closeError is HttpListenerException or ObjectDisposedException)
                {
                }
            }
        }

        throw new InvalidOperationException("Could not start a loopback HTTP listener: " + string.Join("; ", errors));
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        // Close alone: Stop releases the port first, and the managed HttpListener's Close then
        // looks the endpoint up again, binding the port anew; if another test's listener took
        // the port meanwhile, that bind fails with "Address already in use".
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The endpoint is already gone: nothing is left listening.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Stops listening and waits for the accept loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private sealed record InjectedFailure(string Code, string Message, int? StatusCode);
}
