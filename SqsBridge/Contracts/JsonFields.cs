using System.Text;
using System.Text.Json;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>Strict readers of JSON fields shared by the message parsers: each returns the value
/// or records ONE problem naming the field; nothing is coerced beyond what the wire
/// contract allows.</summary>
internal sealed class JsonFields
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    private const char ByteOrderMark = '\uFEFF';

    private readonly JsonElement _root;

    private JsonFields(JsonElement root) => _root = root;

    public List<MessageRejection> Problems { get; } = [];

    /// <summary>Size check (before any parsing), JSON parse and object check. Returns null with
    /// the single body-level problem in <paramref name="problem"/> when the body is unusable.
    /// One UTF-8 byte order mark (U+FEFF) before the JSON is skipped: some tools write one.</summary>
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

        if (body.StartsWith(ByteOrderMark))
        {
            body = body[1..];
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
        catch (InvalidOperationException)
        {
            // The duplicate-property check reads every property name as text: a name with a lone
            // surrogate escape ("\ud83d") cannot be compared, so the body cannot be read safely.
            problem = new(RejectionCode.InvalidText, null,
                "a property name holds a lone UTF-16 surrogate escape (like \\ud83d), which is not text");
            return null;
        }
        catch (ArgumentException)
        {
            // A .NET string holding half a surrogate pair (SQS never delivers one) cannot be read as UTF-8.
            problem = new(RejectionCode.InvalidText, null, "the body holds a lone UTF-16 surrogate, which is not text");
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = new(RejectionCode.NotAnObject, null,
                $"the body is a JSON {Describe(document.RootElement.ValueKind)}, expected an object");
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
    public string? String(string name, string? prefix = null) =>
        Typed(name, prefix + name, "a string", IsString) is { } value ? Text(prefix + name, value) : null;

    /// <summary>A string field of free text (error messages): a lone surrogate escape becomes U+FFFD
    /// instead of rejecting the message, because the rest of the text is still worth keeping.</summary>
    public string? FreeText(string name) =>
        Typed(name, name, "a string", IsString) is { } value ? JsonText.GetLenient(value, out _) : null;

    /// <summary>The text of a JSON string that must be exact (ids, enums, timestamps, params): an
    /// <see cref="RejectionCode.InvalidText"/> problem when it holds a lone surrogate escape.</summary>
    public string? Text(string field, JsonElement value)
    {
        var text = JsonText.TryGetStrict(value);
        if (text is null)
        {
            Add(RejectionCode.InvalidText, field,
                $"{field} holds a lone UTF-16 surrogate escape (like \\ud83d), which is not text");
        }

        return text;
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
        if (text is { Length: 0 })
        {
            Add(RejectionCode.MissingField, name, $"{name} is empty");
            return null;
        }

        return text;
    }

    /// <summary>A whole JSON number that fits an int.</summary>
    public int? Int32(string name) =>
        Typed(name, name, "a whole number", v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out _))
            is { } value ? value.GetInt32() : null;

    /// <summary>A JSON number (fractions allowed).</summary>
    public double? Number(string name) =>
        Typed(name, name, "a number",
            v => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d))
            is { } value ? value.GetDouble() : null;

    /// <summary>An RFC 3339 timestamp string (e.g. 2026-11-20T10:00:00.512207931Z or with an offset),
    /// cut to .NET's 7 fractional digits. Go's zero time (0001-01-01T00:00:00Z) is how Go
    /// writes an unset time: it reads as absent (null), like a missing field.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (!Rfc3339.TryParse(text, out var timestamp, out var isGoZeroTime))
        {
            Add(RejectionCode.InvalidTimestamp, name,
                $"{name} is not an RFC 3339 timestamp (like 2026-11-20T10:00:00Z) between years 0001 and 9999: "
                + $"'{Truncate(text)}'");
            return null;
        }

        return isGoZeroTime ? null : timestamp;
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

    // The field when present and what fits accepts; a WrongType problem when it is not.
    private JsonElement? Typed(string name, string field, string expected, Func<JsonElement, bool> fits)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (!fits(value))
        {
            WrongType(field, expected, value);
            return null;
        }

        return value;
    }

    private static bool IsString(JsonElement value) => value.ValueKind == JsonValueKind.String;
}
