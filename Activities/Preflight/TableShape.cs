using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Preflight;

/// <summary>A global secondary index as DescribeTable reports it.</summary>
/// <param name="Name">Index name.</param>
/// <param name="Status">IndexStatus: CREATING, UPDATING, DELETING or ACTIVE.</param>
/// <param name="HashKey">Partition key attribute.</param>
/// <param name="RangeKey">Sort key attribute, or null.</param>
/// <param name="ProjectionType">ALL, KEYS_ONLY or INCLUDE.</param>
/// <param name="NonKeyAttributes">INCLUDE's attributes.</param>
/// <param name="Backfilling">True while a new index is filled from the table.</param>
public sealed record IndexShape(
    string Name,
    string Status,
    string? HashKey,
    string? RangeKey,
    string? ProjectionType,
    IReadOnlyList<string> NonKeyAttributes,
    bool Backfilling)
{
    /// <summary>Its keys as <see cref="JobsIndexRequirement.KeysText"/> prints them.</summary>
    public string KeysText => RangeKey is null ? $"HASH {HashKey}" : $"HASH {HashKey}, RANGE {RangeKey}";
}

/// <summary>A table as one DescribeTable call reports it (all its indexes come with it).</summary>
/// <param name="Name">Table name.</param>
/// <param name="Status">TableStatus.</param>
/// <param name="HashKey">Partition key attribute.</param>
/// <param name="HashKeyType">Its type (S, N, B) from the attribute definitions.</param>
/// <param name="Indexes">Its global secondary indexes.</param>
/// <param name="Capacity">
/// Provisioned capacity, or null for PAY_PER_REQUEST (an index created on a provisioned table needs one).
/// </param>
public sealed record TableShape(
    string Name,
    string Status,
    string? HashKey,
    string? HashKeyType,
    IReadOnlyList<IndexShape> Indexes,
    (long Read, long Write)? Capacity)
{
    /// <summary>The shape of a DescribeTable answer.</summary>
    public static TableShape From(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var hash = KeyOf(table.KeySchema, "HASH");
        var type = table.AttributeDefinitions?.FirstOrDefault(a => a.AttributeName == hash)?.AttributeType?.Value;
        var indexes = (table.GlobalSecondaryIndexes ?? []).Select(g => new IndexShape(
            g.IndexName,
            g.IndexStatus?.Value ?? "UNKNOWN",
            KeyOf(g.KeySchema, "HASH"),
            KeyOf(g.KeySchema, "RANGE"),
            g.Projection?.ProjectionType?.Value,
            g.Projection?.NonKeyAttributes ?? [],
            g.Backfilling == true)).ToList();
        // No summary (older tables, emulators) and capacity > 0 means provisioned.
        var provisioned = table.BillingModeSummary?.BillingMode?.Value is { } mode
            ? mode == "PROVISIONED"
            : table.ProvisionedThroughput?.ReadCapacityUnits > 0;
        (long, long)? capacity = provisioned
            ? (table.ProvisionedThroughput?.ReadCapacityUnits ?? 1,
                table.ProvisionedThroughput?.WriteCapacityUnits ?? 1)
            : null;
        return new TableShape(table.TableName, table.TableStatus?.Value ?? "UNKNOWN", hash, type, indexes, capacity);
    }

    /// <summary>The index named <paramref name="name"/>, or null.</summary>
    public IndexShape? Index(string name) =>
        Indexes.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));

    private static string? KeyOf(List<KeySchemaElement>? keys, string type) =>
        keys?.FirstOrDefault(k => k.KeyType?.Value == type)?.AttributeName;
}

/// <summary>
/// What one DescribeTable answered: the shape, or that the table does not exist, or why it could not be read.
/// </summary>
/// <param name="Name">The table asked for.</param>
/// <param name="Shape">Its shape when read.</param>
/// <param name="Failure">Why it could not be read ("ResourceNotFoundException" when it does not exist).</param>
public sealed record TableProbe(string Name, TableShape? Shape, string? Failure)
{
    public const string NotFoundCode = "ResourceNotFoundException";

    /// <summary>True when DynamoDB said the table does not exist.</summary>
    public bool NotFound => Shape is null && Failure?.StartsWith(NotFoundCode, StringComparison.Ordinal) == true;
}
