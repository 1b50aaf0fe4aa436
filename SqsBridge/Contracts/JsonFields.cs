using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>
/// Strict readers of JSON fields shared by the message parsers: each returns the value
/// or records ONE problem naming the field; nothing is coerced beyond what the wire
/// contract allows.
/// </summary>
internal sealed partial class JsonFields
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    private readonly JsonElement _root;

    private JsonFields(JsonElement root) => _root = root;

    public List<MessageRejection> Problems { get; } = [];

    /// <summary>
    /// Size check (before any parsing), JSON parse and object check. Returns null with
    /// the single body-level problem in <paramref name="problem"/> when the body is unusable.
    /// </summary>
    public static JsonDocument? ParseObject(string? body, int maxBytes, out MessageRejection? problem)
    {
        problem = null;
        if (body is null)
        {
            problem = new(RejectionCode.NotJson, null, "the body is empty, expected a JSON object");
            return null;
        }

        // Cheap upper bound first so a huge body is never fully scanned.
        if (body.Length > maxBytes || Encoding.UTF8.GetByteCount(body) > maxBytes)
        {
            problem = new(RejectionCode.Oversized, null, $"the body is larger than the limit of {maxBytes} bytes");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            problem = new(RejectionCode.NotJson, null, $"the body is not valid JSON ({e.Message})");
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = new(RejectionCode.NotAnObject, null, $"the body is a JSON {Describe(document.RootElement.ValueKind)}, expected an object");
            document.Dispose();
            return null;
        }

        return document;
    }

    public static JsonFields Over(JsonElement obj) => new(obj);

    /// <summary>The field, or null when absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public void Add(RejectionCode code, string field, string reason) => Problems.Add(new(code, field, reason));

    /// <summary>A string field; a WrongType problem for any other JSON type.</summary>
    public string? String(string name, string? prefix = null)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            WrongType(prefix + name, "a string", value.Value);
            return null;
        }

        return value.Value.GetString();
    }

    /// <summary>A required non-empty string field.</summary>
    public string? RequiredString(string name)
    {
        if (Get(name) is null)
        {
            Add(RejectionCode.MissingField, name, $"{name} is missing");
            return null;
        }

        var text = String(name);
        if (text is not null && text.Length == 0)
        {
            Add(RejectionCode.MissingField, name, $"{name} is empty");
            return null;
        }

        return text;
    }

    /// <summary>A whole JSON number that fits an int.</summary>
    public int? Int32(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            WrongType(name, "a whole number", value.Value);
            return null;
        }

        return number;
    }

    /// <summary>A JSON number (fractions allowed).</summary>
    public double? Number(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            WrongType(name, "a number", value.Value);
            return null;
        }

        return number;
    }

    /// <summary>An RFC 3339 timestamp string (e.g. 2026-11-20T10:00:00Z or with an offset).</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (!TryParseRfc3339(text, out var timestamp))
        {
            Add(RejectionCode.InvalidTimestamp, name, $"{name} is not an RFC 3339 timestamp (like 2026-11-20T10:00:00Z): '{Truncate(text)}'");
            return null;
        }

        return timestamp;
    }

    public static bool TryParseRfc3339(string text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp);
    }

    public void WrongType(string field, string expected, JsonElement actual) =>
        Add(RejectionCode.WrongType, field, $"{field} must be {expected}, got a JSON {Describe(actual.ValueKind)}");

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    /// <summary>Keeps attacker-sized values out of the log.</summary>
    public static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    // Full date, 'T', time with optional fraction (at most 7 digits: .NET's precision), 'Z' or an offset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
