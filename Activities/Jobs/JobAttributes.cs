using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>How every jobs-table request names and reads attributes: a "#name" placeholder stands for the
/// attribute of the same name (status and others are DynamoDB reserved words), and an item's fields
/// are read the same way everywhere (absent or unreadable: null).</summary>
internal static partial class JobAttributes
{
    /// <summary>The ExpressionAttributeNames of <paramref name="expressions"/>, read off their "#name"
    /// placeholders, so the map can neither miss a name nor carry one DynamoDB refuses as unused.</summary>
    public static Dictionary<string, string> Names(params string?[] expressions) =>
        expressions
            .SelectMany(e => Placeholder().Matches(e ?? string.Empty))
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(p => p, p => p[1..], StringComparer.Ordinal);

    /// <summary>The conditional update of job <paramref name="jobId"/>: <paramref name="update"/> only while
    /// <paramref name="condition"/> holds, its names read off both expressions.</summary>
    public static UpdateItemRequest Update(
        string tableName,
        long jobId,
        string update,
        string condition,
        Dictionary<string, AttributeValue> values,
        ReturnValue? returnValues = null) => new()
    {
        TableName = tableName,
        Key = Key(jobId),
        UpdateExpression = update,
        ConditionExpression = condition,
        ExpressionAttributeNames = Names(update, condition),
        ExpressionAttributeValues = values,
        ReturnValues = returnValues,
    };

    /// <summary>Strongly consistent read of <paramref name="projection"/> of job <paramref name="jobId"/>.</summary>
    public static GetItemRequest Get(string tableName, long jobId, string projection) => new()
    {
        TableName = tableName,
        Key = Key(jobId),
        ConsistentRead = true,
        ProjectionExpression = projection,
        ExpressionAttributeNames = Names(projection),
    };

    /// <summary>The table key of <paramref name="jobId"/>.</summary>
    public static Dictionary<string, AttributeValue> Key(long jobId) =>
        new() { [JobRecord.JobId] = new AttributeValue { N = jobId.ToString(CultureInfo.InvariantCulture) } };

    /// <summary>A string attribute of <paramref name="item"/>; null when absent or empty.</summary>
    public static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;

    /// <summary>A whole-number attribute of <paramref name="item"/>, stored as N (or as S by hand-written
    /// records); null when absent or not a number.</summary>
    public static long? Number(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value)
            && long.TryParse(value.N ?? value.S, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    [GeneratedRegex("#[a-z_]+")]
    private static partial Regex Placeholder();
}
