using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Renders job records as JSON Lines: one plain JSON object per record (numbers as
/// numbers, attributes in name order), readable by people, jq and Athena alike.</summary>
internal static class JobRecordJson
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>One record as a JSON object on one line.</summary>
    public static string ToJsonLine(IReadOnlyDictionary<string, AttributeValue> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ToObject(item).ToJsonString(Compact);
    }

    /// <summary>Records as a JSON Lines document (each line ends with a newline).</summary>
    public static string ToJsonLines(IEnumerable<IReadOnlyDictionary<string, AttributeValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var builder = new StringBuilder();
        foreach (var item in items)
        {
            builder.Append(ToJsonLine(item)).Append('\n');
        }

        return builder.ToString();
    }

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, AttributeValue>> attributes)
    {
        var result = new JsonObject();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            result[name] = ToNode(value);
        }

        return result;
    }

    private static JsonNode? ToNode(AttributeValue value)
    {
        if (value.S is not null)
        {
            return JsonValue.Create(value.S);
        }

        if (value.N is not null)
        {
            return Number(value.N);
        }

        if (value.BOOL is bool flag)
        {
            return JsonValue.Create(flag);
        }

        if (value.NULL == true)
        {
            return null;
        }

        if (value.B is not null)
        {
            return JsonValue.Create(Convert.ToBase64String(value.B.ToArray()));
        }

        if (value.SS is { Count: > 0 } strings)
        {
            return new JsonArray([.. strings.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        if (value.NS is { Count: > 0 } numbers)
        {
            return new JsonArray([.. numbers.Select(Number)]);
        }

        if (value.BS is { Count: > 0 } blobs)
        {
            return new JsonArray([.. blobs.Select(b =>
                (JsonNode?)JsonValue.Create(Convert.ToBase64String(b.ToArray())))]);
        }

        if (value.IsMSet && value.M is not null)
        {
            return ToObject(value.M);
        }

        if (value.IsLSet && value.L is not null)
        {
            return new JsonArray([.. value.L.Select(ToNode)]);
        }

        return null;
    }

    // DynamoDB numbers are decimal text of up to 38 digits; keep the text exactly as stored.
    private static JsonNode? Number(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
