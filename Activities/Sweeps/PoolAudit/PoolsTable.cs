using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Attribute names of a pool item in runs-fleet's pools table (key: pool_name, String), as
/// runs-fleet's PoolConfig writes them (pkg/db/pool_config.go:31 at 2bb4703). Numbers are DynamoDB
/// Numbers; a missing attribute is reported by the audit, never guessed. The table has no volume
/// size: the audit reads the stopped instances' real volumes from EC2 instead.</summary>
public static class PoolsTable
{
    /// <summary>Partition key: the pool's name, also the value of its EC2 tag runs-fleet:pool.</summary>
    public const string PoolName = "pool_name";

    /// <summary>EC2 instance type the pool launches (String, e.g. m7g.large); "" or absent for a flexible pool
    /// (arch, cpu_min/max, families instead), whose instances are of several types.</summary>
    public const string InstanceType = "instance_type";

    /// <summary>How many instances the pool keeps running (Number).</summary>
    public const string DesiredRunning = "desired_running";

    /// <summary>How many instances the pool keeps stopped, ready to start (Number).</summary>
    public const string DesiredStopped = "desired_stopped";

    /// <summary>Key prefixes of the rows runs-fleet keeps in the pools table that are not pools: housekeeping
    /// task locks (pkg/db/locks.go:26), instance claims (pkg/db/instance_claims.go:21), runner offline
    /// sightings (pkg/db/runner_sightings.go:16) and fleet cost days (pkg/db/fleet_cost.go:23), exactly
    /// the prefixes of runs-fleet's IsReservedPoolKey (pkg/db/pool_config.go:111).</summary>
    public static IReadOnlyList<string> ReservedKeyPrefixes { get; } =
        ["__task_lock:", "__instance_claim:", "__runner_offline:", "__fleet_day:"];

    /// <summary>True for a reserved row's key (case-sensitive prefixes, as runs-fleet's strings.HasPrefix).</summary>
    public static bool IsReservedKey(string poolName)
    {
        ArgumentNullException.ThrowIfNull(poolName);
        return ReservedKeyPrefixes.Any(prefix => poolName.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>The pool an item defines; null for an item without a pool name or a reserved row.</summary>
    internal static PoolDefinition? ToPool(Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(PoolName, out var name) || string.IsNullOrEmpty(name.S) || IsReservedKey(name.S))
        {
            return null;
        }

        return new PoolDefinition(
            name.S,
            item.TryGetValue(InstanceType, out var type) && !string.IsNullOrEmpty(type.S) ? type.S : null,
            Number(item, DesiredRunning),
            Number(item, DesiredStopped));
    }

    // A NULL (runs-fleet's attrOrNull, pkg/db/pool_config.go:314) or absent number is unknown.
    private static int? Number(Dictionary<string, AttributeValue> item, string attribute) =>
        item.TryGetValue(attribute, out var value)
        && int.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}

/// <summary>One pool as the pools table defines it; null where the item lacks the attribute
/// (<paramref name="InstanceType"/> null: a flexible pool).</summary>
public sealed record PoolDefinition(string Name, string? InstanceType, int? DesiredRunning, int? DesiredStopped);
