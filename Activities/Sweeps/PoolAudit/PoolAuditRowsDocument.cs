using System.Text.Json;
using Amazon.S3.Model;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>The machine-readable twin of a report's markdown: the same rows and totals as JSON, written
/// next to it under the same key with <c>.json</c> for <c>.md</c>, so tools (the operator CLI's
/// <c>pool report</c>) read numbers instead of parsing a markdown table. Written before the
/// markdown: a report whose markdown exists has its rows too (reports written before this
/// document existed have only the markdown).</summary>
public sealed record PoolAuditRowsDocument(
    DateTimeOffset AuditTime,
    IReadOnlyList<PoolAuditRow> Rows,
    PoolAuditTotals Totals,
    int UntrackedInstances)
{
    /// <summary>How the document is written and read (camelCase, as every JSON the project writes for people and
    /// tools).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string MarkdownSuffix = ".md";
    private const string JsonSuffix = ".json";

    /// <summary>The document of <paramref name="report"/> (everything but the markdown).</summary>
    public static PoolAuditRowsDocument Of(PoolAuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new PoolAuditRowsDocument(report.AuditTime, report.Rows, report.Totals, report.UntrackedInstances);
    }

    /// <summary>The key of the rows next to the markdown report at <paramref name="markdownKey"/>.</summary>
    public static string KeyFor(string markdownKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(markdownKey);
        return markdownKey.EndsWith(MarkdownSuffix, StringComparison.Ordinal)
            ? markdownKey[..^MarkdownSuffix.Length] + JsonSuffix
            : markdownKey + JsonSuffix;
    }

    /// <summary>Parses a stored document; null when the text is not one.</summary>
    public static PoolAuditRowsDocument? FromJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<PoolAuditRowsDocument>(text, Json) is { Rows: not null,
                Totals: not null } document ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The PutObject of this document next to the markdown at <paramref name="markdownKey"/>.</summary>
    public PutObjectRequest PutRequest(string bucket, string markdownKey) => new()
    {
        BucketName = bucket,
        Key = KeyFor(markdownKey),
        ContentBody = JsonSerializer.Serialize(this, Json),
        ContentType = "application/json; charset=utf-8",
    };
}
