using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>
/// Attribute names of a pool item in the pools table (key: pool_name, String). Numbers
/// are DynamoDB Numbers; a missing attribute is reported by the audit, never guessed.
/// </summary>
public static class PoolsTable
{
    /// <summary>Partition key: the pool's name, also the value of its EC2 tag runs-fleet:pool.</summary>
    public const string PoolName = "pool_name";

    /// <summary>EC2 instance type of the pool's instances (String, e.g. m5.large).</summary>
    public const string InstanceType = "instance_type";

    /// <summary>How many instances the pool keeps running (Number).</summary>
    public const string DesiredRunning = "desired_running";

    /// <summary>How many instances the pool keeps stopped, ready to start (Number).</summary>
    public const string DesiredStopped = "desired_stopped";

    /// <summary>Size of each instance's root EBS volume in GiB (Number); prices the stopped instances.</summary>
    public const string EbsVolumeGb = "ebs_volume_gb";

    /// <summary>The pool an item defines; null for an item without a pool name.</summary>
    internal static PoolDefinition? ToPool(Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(PoolName, out var name) || string.IsNullOrEmpty(name.S))
        {
            return null;
        }

        return new PoolDefinition(
            name.S,
            item.TryGetValue(InstanceType, out var type) && !string.IsNullOrEmpty(type.S) ? type.S : null,
            Number(item, DesiredRunning),
            Number(item, DesiredStopped),
            Number(item, EbsVolumeGb));
    }

    private static int? Number(Dictionary<string, AttributeValue> item, string attribute) =>
        item.TryGetValue(attribute, out var value)
        && int.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}

/// <summary>One pool as the pools table defines it; null where the item lacks the attribute.</summary>
public sealed record PoolDefinition(string Name, string? InstanceType, int? DesiredRunning, int? DesiredStopped, int? EbsVolumeGb);
