using System.Globalization;
using System.Text;
using System.Text.Json;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Preflight;

/// <summary>The fix for a jobs-table index that is missing or wrong, as text an operator can run or paste:
/// the <c>aws dynamodb update-table</c> command (online: the table stays in use while the index
/// backfills) and the block for runs-fleet's Terraform, which removes on its next apply any index
/// it does not declare. Table and index names are [A-Za-z0-9_.-] (JobsTableOptions), so they need
/// no shell quoting.</summary>
public static class IndexFix
{
    /// <summary>Where runs-fleet declares the jobs table.</summary>
    public const string TerraformResource =
        "resource \"aws_dynamodb_table\" \"jobs\" in runs-fleet's deploy/terraform/dynamodb.tf";

    // The attribute blocks runs-fleet's jobs table already has (deploy/terraform/dynamodb.tf:36-59):
    // Terraform refuses a duplicate, and an index key needs its block.
    private static readonly HashSet<string> RunsFleetAttributes = new(StringComparer.Ordinal)
    {
        JobRecord.JobId, JobRecord.Pool, JobRecord.CreatedAt, JobRecord.InstanceId, JobRecord.Status,
    };

    /// <summary>The update-table command creating <paramref name="index"/> on <paramref name="table"/>, one
    /// line. A provisioned table (runs-fleet's are PAY_PER_REQUEST) needs the index's capacity too:
    /// pass the table's as <paramref name="capacity"/>.</summary>
    public static string CreateCommand(
        string table, JobsIndexRequirement index, (long Read, long Write)? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        var definitions = KeyAttributes(index).Select(a => $"AttributeName={a},AttributeType=S");
        return $"aws dynamodb update-table --table-name {table} "
            + $"--attribute-definitions {string.Join(' ', definitions)} "
            + $"--global-secondary-index-updates '{CreateJson(index, capacity)}'";
    }

    /// <summary>Prints the index's status until it reads ACTIVE.</summary>
    public static string WaitCommand(string table, string indexName) =>
        $"aws dynamodb describe-table --table-name {table} "
        + $"--query 'Table.GlobalSecondaryIndexes[?IndexName==`{indexName}`].IndexStatus'";

    /// <summary>The Terraform text to add inside the jobs table's resource block (attribute blocks first).</summary>
    public static string TerraformBlock(JobsIndexRequirement index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var text = new StringBuilder();
        foreach (var attribute in KeyAttributes(index).Where(a => !RunsFleetAttributes.Contains(a)))
        {
            text.Append(
                CultureInfo.InvariantCulture, $"attribute {{\n  name = \"{attribute}\"\n  type = \"S\"\n}}\n\n");
        }

        var lines = new List<(string Key, string Value)>
        {
            ("name", Quote(index.Name)),
            ("hash_key", Quote(index.HashKey)),
        };
        if (index.RangeKey is not null)
        {
            lines.Add(("range_key", Quote(index.RangeKey)));
        }

        if (index.CreateWithAll || index.NeededAttributes is null)
        {
            lines.Add(("projection_type", Quote("ALL")));
        }
        else
        {
            lines.Add(("projection_type", Quote("INCLUDE")));
            lines.Add(("non_key_attributes", "[" + string.Join(", ", index.NeededAttributes.Select(Quote)) + "]"));
        }

        var width = lines.Max(l => l.Key.Length);
        text.Append("global_secondary_index {\n");
        foreach (var (key, value) in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {key.PadRight(width)} = {value}\n");
        }

        return text.Append('}').ToString();
    }

    /// <summary>One line naming the Terraform change (the block itself is <see cref="TerraformBlock"/>).</summary>
    public static string TerraformSummary(JobsIndexRequirement index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.RunsFleetDeclares
            ? $"runs-fleet's Terraform declares global_secondary_index \"{index.Name}\" in {TerraformResource}: "
                + "terraform apply restores it"
            : $"add global_secondary_index \"{index.Name}\" to {TerraformResource} "
                + "(an index Terraform does not declare is removed by its next apply)";
    }

    private static IEnumerable<string> KeyAttributes(JobsIndexRequirement index) =>
        index.RangeKey is null ? [index.HashKey] : [index.HashKey, index.RangeKey];

    private static string CreateJson(JobsIndexRequirement index, (long Read, long Write)? capacity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteStartObject("Create");
            json.WriteString("IndexName", index.Name);
            json.WriteStartArray("KeySchema");
            WriteKey(json, index.HashKey, "HASH");
            if (index.RangeKey is not null)
            {
                WriteKey(json, index.RangeKey, "RANGE");
            }

            json.WriteEndArray();
            json.WriteStartObject("Projection");
            if (index.CreateWithAll || index.NeededAttributes is null)
            {
                json.WriteString("ProjectionType", "ALL");
            }
            else
            {
                json.WriteString("ProjectionType", "INCLUDE");
                json.WriteStartArray("NonKeyAttributes");
                index.NeededAttributes.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteEndObject();
            if (capacity is { } units)
            {
                json.WriteStartObject("ProvisionedThroughput");
                json.WriteNumber("ReadCapacityUnits", units.Read);
                json.WriteNumber("WriteCapacityUnits", units.Write);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteKey(Utf8JsonWriter json, string attribute, string type)
    {
        json.WriteStartObject();
        json.WriteString("AttributeName", attribute);
        json.WriteString("KeyType", type);
        json.WriteEndObject();
    }

    private static string Quote(string value) => "\"" + value + "\"";
}
