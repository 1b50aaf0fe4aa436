using System.Text.Json;

namespace RunsFleet.Tests.Support;

/// <summary>
/// One request a loopback fake received: the operation (SSM target suffix or EC2 Action), the raw
/// body, the form fields (query protocol; empty for JSON) and the headers. <see cref="Json"/> parses
/// the body of a JSON-protocol request.
/// </summary>
public sealed class FakeRequest
{
    private readonly Lazy<JsonElement> _json;

    /// <summary>Creates a request record (servers build these; tests usually only read them).</summary>
    public FakeRequest(string operation, string body, IReadOnlyDictionary<string, string> form, IReadOnlyDictionary<string, string> headers)
    {
        Operation = operation;
        Body = body;
        Form = form;
        Headers = headers;
        _json = new Lazy<JsonElement>(() =>
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(Body) ? "{}" : Body);
            return document.RootElement.Clone();
        });
    }

    /// <summary>Operation name, e.g. "DeleteParameters" or "DescribeInstances".</summary>
    public string Operation { get; }

    /// <summary>Raw request body.</summary>
    public string Body { get; }

    /// <summary>Form fields of a query-protocol (EC2) request, e.g. ["InstanceId.1"] = "i-0abc".</summary>
    public IReadOnlyDictionary<string, string> Form { get; }

    /// <summary>Request headers (case-insensitive keys).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body parsed as JSON (JSON-protocol requests such as SSM); "{}" when empty.</summary>
    public JsonElement Json => _json.Value;

    /// <summary>When the fake received it.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Values of numbered form members with <paramref name="prefix"/>: "InstanceId" gives InstanceId.1, InstanceId.2, ... in order.</summary>
    public IReadOnlyList<string> FormList(string prefix)
    {
        var values = new List<string>();
        for (var i = 1; Form.TryGetValue($"{prefix}.{i}", out var value); i++)
        {
            values.Add(value);
        }

        return values;
    }
}

/// <summary>An HTTP answer of a loopback fake. Build with <see cref="Json"/>, <see cref="Xml"/> or the constructor.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="ContentType">Content-Type header.</param>
/// <param name="Body">Body text.</param>
public sealed record FakeResponse(int StatusCode, string ContentType, string Body)
{
    // AWS JSON omits absent members (a null NextToken means "no more pages").
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>200 with a JSON 1.1 body serialized from <paramref name="value"/> (property names as given).</summary>
    public static FakeResponse Json(object value) =>
        new(200, "application/x-amz-json-1.1", JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>200 with an XML body (already serialized).</summary>
    public static FakeResponse Xml(string xml) => new(200, "text/xml;charset=UTF-8", xml);
}

/// <summary>
/// Throw from a fake's operation handler to answer with an AWS error in the server's wire format
/// (JSON __type for SSM, &lt;Response&gt;&lt;Errors&gt; XML for EC2). <paramref name="statusCode"/> null
/// means the status AWS uses for that code.
/// </summary>
public sealed class FakeAwsErrorException(string code, string message, int? statusCode = null) : Exception(message)
{
    /// <summary>AWS error code, e.g. "ParameterNotFound".</summary>
    public string Code { get; } = code;

    /// <summary>HTTP status, or null for the server's default for <see cref="Code"/>.</summary>
    public int? StatusCode { get; } = statusCode;
}
