using System.Net;
using System.Text;
using System.Text.Json;

namespace RunsFleet.Tests.Support;

/// <summary>A parameter held by <see cref="FakeSsmServer"/>.</summary>
/// <param name="Name">Full name, e.g. "/runs-fleet/runners/i-0abc/config".</param>
/// <param name="Type">String, StringList or SecureString.</param>
/// <param name="Value">Stored value (SecureString values are kept in clear text).</param>
/// <param name="LastModifiedDate">When it was last written (tests may set it in the past).</param>
/// <param name="Version">1 on creation, +1 per overwrite.</param>
public sealed record FakeSsmParameter(string Name, string Type, string Value, DateTimeOffset LastModifiedDate, long Version);

/// <summary>
/// Loopback SSM Parameter Store speaking JSON 1.1 (X-Amz-Target AmazonSSM.&lt;Op&gt;) for the real
/// v4 client: <c>await using var ssm = new FakeSsmServer(); ssm.Put("/a/b", "v", lastModified);
/// using var client = AwsClients.Ssm(ssm.ServiceUrl);</c>.
/// Operations: PutParameter, GetParameter, GetParameters, DeleteParameter, DeleteParameters (max 10
/// names, unknown names in InvalidParameters), DescribeParameters (ParameterFilters Path
/// Recursive|OneLevel, Name Equals|BeginsWith|Contains, Type; MaxResults 1..50, default 10;
/// NextToken), GetParametersByPath (Path, Recursive, MaxResults 1..10; NextToken). Limits and
/// errors as AWS reports them (ValidationException, ParameterNotFound, ParameterAlreadyExists,
/// InvalidNextToken). Add or replace operations with <see cref="LoopbackAwsServer.Handle"/>.
/// </summary>
public sealed class FakeSsmServer : LoopbackAwsServer
{
    private const string TargetPrefix = "AmazonSSM.";
    private readonly SortedDictionary<string, FakeSsmParameter> _parameters = new(StringComparer.Ordinal);

    /// <summary>Starts the fake on a free loopback port.</summary>
    public FakeSsmServer()
    {
        Handle("PutParameter", PutParameter);
        Handle("GetParameter", GetParameter);
        Handle("GetParameters", GetParameters);
        Handle("DeleteParameter", DeleteParameter);
        Handle("DeleteParameters", DeleteParameters);
        Handle("DescribeParameters", DescribeParameters);
        Handle("GetParametersByPath", GetParametersByPath);
    }

    /// <summary>Clock for LastModifiedDate of parameters written through the API (a FakeTimeProvider works).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// When set, list pages hold at most this many items even if MaxResults is larger; AWS itself
    /// returns short (even empty) pages with a NextToken, so callers must follow NextToken until null.
    /// </summary>
    public int? PageSizeCap { get; set; }

    /// <summary>All parameter names, sorted ordinally.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_parameters)
            {
                return [.. _parameters.Keys];
            }
        }
    }

    /// <summary>All parameters, sorted by name.</summary>
    public IReadOnlyList<FakeSsmParameter> Parameters
    {
        get
        {
            lock (_parameters)
            {
                return [.. _parameters.Values];
            }
        }
    }

    /// <summary>Seeds (or overwrites) a parameter; <paramref name="lastModified"/> defaults to <see cref="Clock"/> now.</summary>
    public FakeSsmParameter Put(string name, string value, DateTimeOffset? lastModified = null, string type = "String")
    {
        lock (_parameters)
        {
            var version = _parameters.TryGetValue(name, out var old) ? old.Version + 1 : 1;
            var parameter = new FakeSsmParameter(name, type, value, lastModified ?? Clock.GetUtcNow(), version);
            _parameters[name] = parameter;
            return parameter;
        }
    }

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public FakeSsmParameter? Find(string name)
    {
        lock (_parameters)
        {
            return _parameters.GetValueOrDefault(name);
        }
    }

    /// <inheritdoc />
    protected override bool UsesFormBody => false;

    /// <inheritdoc />
    protected override string? OperationOf(HttpListenerRequest request, IReadOnlyDictionary<string, string> form)
    {
        var target = request.Headers["X-Amz-Target"];
        return target is not null && target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
    }

    /// <inheritdoc />
    protected override FakeResponse Error(string code, string message, int? statusCode, string requestId) =>
        new(
            statusCode ?? (code is "InternalServerError" or "InternalFailure" ? 500 : 400),
            "application/x-amz-json-1.1",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }));

    private FakeResponse PutParameter(FakeRequest request)
    {
        var name = RequiredString(request.Json, "Name");
        var value = RequiredString(request.Json, "Value");
        var type = OptionalString(request.Json, "Type") ?? "String";
        var overwrite = request.Json.TryGetProperty("Overwrite", out var o) && o.GetBoolean();
        lock (_parameters)
        {
            if (_parameters.ContainsKey(name) && !overwrite)
            {
                throw new FakeAwsErrorException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            }

            var stored = Put(name, value, null, type);
            return FakeResponse.Json(new { stored.Version, Tier = "Standard" });
        }
    }

    private FakeResponse GetParameter(FakeRequest request)
    {
        var name = RequiredString(request.Json, "Name");
        var parameter = Find(name) ?? throw new FakeAwsErrorException("ParameterNotFound", $"Parameter {name} not found.");
        return FakeResponse.Json(new { Parameter = WithValue(parameter) });
    }

    private FakeResponse GetParameters(FakeRequest request)
    {
        var names = StringArray(request.Json, "Names");
        CheckLength(names, "names", 10);
        var found = names.Select(Find).OfType<FakeSsmParameter>().ToList();
        return FakeResponse.Json(new
        {
            Parameters = found.Select(WithValue).ToList(),
            InvalidParameters = names.Where(n => found.All(p => p.Name != n)).ToList(),
        });
    }

    private FakeResponse DeleteParameter(FakeRequest request)
    {
        var name = RequiredString(request.Json, "Name");
        lock (_parameters)
        {
            if (!_parameters.Remove(name))
            {
                throw new FakeAwsErrorException("ParameterNotFound", $"Parameter {name} not found.");
            }
        }

        return FakeResponse.Json(new { });
    }

    private FakeResponse DeleteParameters(FakeRequest request)
    {
        var names = StringArray(request.Json, "Names");
        CheckLength(names, "names", 10);
        var deleted = new List<string>();
        var invalid = new List<string>();
        lock (_parameters)
        {
            foreach (var name in names)
            {
                (_parameters.Remove(name) ? deleted : invalid).Add(name);
            }
        }

        return FakeResponse.Json(new { DeletedParameters = deleted, InvalidParameters = invalid });
    }

    private FakeResponse DescribeParameters(FakeRequest request)
    {
        var json = request.Json;
        if (json.TryGetProperty("Filters", out _))
        {
            throw new FakeAwsErrorException("ValidationException", "FakeSsmServer supports ParameterFilters only, not the legacy Filters.");
        }

        var maxResults = MaxResults(json, 50, 10);
        var filters = json.TryGetProperty("ParameterFilters", out var f) ? f.EnumerateArray().Select(ParseFilter).ToList() : [];
        var (page, nextToken) = Page(Parameters.Where(p => filters.All(filter => filter(p))), json, maxResults);
        return FakeResponse.Json(new { Parameters = page.Select(Metadata).ToList(), NextToken = nextToken });
    }

    private FakeResponse GetParametersByPath(FakeRequest request)
    {
        var json = request.Json;
        var path = RequiredString(json, "Path");
        if (!path.StartsWith('/'))
        {
            throw new FakeAwsErrorException("ValidationException", "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        }

        var recursive = json.TryGetProperty("Recursive", out var r) && r.GetBoolean();
        var maxResults = MaxResults(json, 10, 10);
        var (page, nextToken) = Page(Parameters.Where(p => IsUnder(p.Name, path, recursive)), json, maxResults);
        return FakeResponse.Json(new { Parameters = page.Select(WithValue).ToList(), NextToken = nextToken });
    }

    // NextToken carries the last name returned, so deleting parameters between pages (what a sweep
    // does) neither skips nor repeats any.
    private (List<FakeSsmParameter> Page, string? NextToken) Page(IEnumerable<FakeSsmParameter> matching, JsonElement json, int maxResults)
    {
        var after = OptionalString(json, "NextToken") is { } token ? DecodeToken(token) : null;
        var remaining = matching.Where(p => after is null || string.CompareOrdinal(p.Name, after) > 0).ToList();
        var size = Math.Min(maxResults, PageSizeCap ?? int.MaxValue);
        var page = remaining.Take(size).ToList();
        var more = remaining.Count > page.Count;
        var last = page.Count > 0 ? page[^1].Name : after;
        return (page, more ? EncodeToken(last ?? string.Empty) : null);
    }

    private static string EncodeToken(string lastName) => Convert.ToBase64String(Encoding.UTF8.GetBytes("after:" + lastName));

    private static string DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("after:", StringComparison.Ordinal))
            {
                return text["after:".Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeAwsErrorException("InvalidNextToken", "The specified token isn't valid.");
    }

    private static Func<FakeSsmParameter, bool> ParseFilter(JsonElement filter)
    {
        var key = RequiredString(filter, "Key");
        var option = OptionalString(filter, "Option");
        var values = StringArray(filter, "Values");
        return key switch
        {
            "Path" => p => values.Any(v => IsUnder(p.Name, v, option == "Recursive")),
            "Name" => option switch
            {
                null or "Equals" => p => values.Contains(p.Name, StringComparer.Ordinal),
                "BeginsWith" => p => values.Any(v => p.Name.StartsWith(v, StringComparison.Ordinal)),
                "Contains" => p => values.Any(v => p.Name.Contains(v, StringComparison.Ordinal)),
                _ => throw new FakeAwsErrorException("InvalidFilterOption", $"The filter option '{option}' is not valid for key Name."),
            },
            "Type" => p => values.Contains(p.Type, StringComparer.Ordinal),
            _ => throw new FakeAwsErrorException("InvalidFilterKey", $"FakeSsmServer does not support the filter key '{key}'."),
        };
    }

    /// <summary>True when <paramref name="name"/> is below <paramref name="path"/> (one level or at any depth).</summary>
    private static bool IsUnder(string name, string path, bool recursive)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return false;
        }

        return recursive || !name.AsSpan(prefix.Length).Contains('/');
    }

    private static Dictionary<string, object> Metadata(FakeSsmParameter p) => new()
    {
        ["Name"] = p.Name,
        ["ARN"] = $"arn:aws:ssm:us-east-1:000000000000:parameter/{p.Name.TrimStart('/')}",
        ["Type"] = p.Type,
        ["LastModifiedDate"] = EpochSeconds(p.LastModifiedDate),
        ["Version"] = p.Version,
        ["DataType"] = "text",
        ["Tier"] = "Standard",
    };

    private static Dictionary<string, object> WithValue(FakeSsmParameter p)
    {
        var result = Metadata(p);
        result.Remove("Tier");
        result["Value"] = p.Value;
        return result;
    }

    // AWS JSON protocols send timestamps as epoch seconds with a fraction.
    private static double EpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000.0;

    private static int MaxResults(JsonElement json, int limit, int defaultValue)
    {
        if (!json.TryGetProperty("MaxResults", out var element))
        {
            return defaultValue;
        }

        var value = element.GetInt32();
        if (value > limit)
        {
            throw new FakeAwsErrorException("ValidationException", $"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {limit}");
        }

        if (value < 1)
        {
            throw new FakeAwsErrorException("ValidationException", $"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        return value;
    }

    private static void CheckLength(IReadOnlyList<string> values, string member, int limit)
    {
        if (values.Count > limit)
        {
            throw new FakeAwsErrorException("ValidationException", $"1 validation error detected: Value '[{string.Join(", ", values)}]' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {limit}");
        }

        if (values.Count == 0)
        {
            throw new FakeAwsErrorException("ValidationException", $"1 validation error detected: Value '[]' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
    }

    private static string RequiredString(JsonElement json, string member) =>
        OptionalString(json, member) ?? throw new FakeAwsErrorException("ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");

    private static string? OptionalString(JsonElement json, string member) =>
        json.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> StringArray(JsonElement json, string member) =>
        json.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList()
            : [];
}
