using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>Seeds and reads job records in a dynalite jobs table for the activity tests.</summary>
internal static class JobItems
{
    public const string Instance = "i-0a1b2c3d4e5f60718";
    public const string OtherInstance = "i-0fedcba9876543210";

    public static async Task PutAsync(
        IAmazonDynamoDB db,
        string table,
        long jobId,
        string instanceId,
        string status,
        string? pool = "linux-x64",
        string? startedAt = null)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["job_id"] = new() { N = jobId.ToString(CultureInfo.InvariantCulture) },
            ["instance_id"] = new() { S = instanceId },
            ["status"] = new() { S = status },
            ["created_at"] = new() { S = "2026-11-20T09:59:00Z" },
        };
        if (pool is not null)
        {
            item["pool"] = new() { S = pool };
        }

        if (startedAt is not null)
        {
            item["started_at"] = new() { S = startedAt };
        }

        await db.PutItemAsync(table, item);
    }

    public static async Task<Dictionary<string, AttributeValue>?> GetAsync(IAmazonDynamoDB db, string table, long jobId)
    {
        var response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["job_id"] = new AttributeValue { N = jobId.ToString(CultureInfo.InvariantCulture) } },
            ConsistentRead = true,
        });
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>
    /// Every attribute with its wire type and exact value, sorted by name: two renderings are
    /// equal only when the stored item is identical.
    /// </summary>
    public static string Render(Dictionary<string, AttributeValue>? item)
    {
        if (item is null)
        {
            return "<none>";
        }

        var text = new StringBuilder();
        foreach (var (name, value) in item.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var typed = value.S is not null ? "S:" + value.S
                : value.N is not null ? "N:" + value.N
                : value.BOOL is { } flag ? "BOOL:" + flag
                : "other:" + value;
            text.Append(name).Append('=').Append(typed).Append('\n');
        }

        return text.ToString();
    }
}
