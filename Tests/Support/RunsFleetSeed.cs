using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Writes job and pool records exactly as runs-fleet's Go code does at 2bb4703 (attributevalue.MarshalMap
/// of pkg/db/jobs.go jobRecord with its omitempty tags; the transitions' UpdateExpressions), so tests run
/// against the data a real deployment holds rather than our own idea of it:
/// <list type="bullet">
/// <item><see cref="Launched"/>: SaveJob (jobs.go:109): status launched, created_at RFC 3339, no pool when
/// cold start (omitempty), run_id/repo/instance_type/spot/retry_count/warm_pool_hit always present.</item>
/// <item><see cref="Claiming"/>: writeClaim (jobs.go:279): no instance_id, no pool, instance_type "".</item>
/// <item><see cref="Running"/>, <see cref="Ended"/>, <see cref="Requeued"/>, <see cref="Orphaned"/>,
/// <see cref="Terminating"/>: MarkJobStarted, MarkJobComplete, markJobRequeued, MarkJobOrphaned (REMOVE pool),
/// MarkInstanceTerminating.</item>
/// <item><see cref="LegacyEmptyPool"/>: a record written before runs-fleet #227 with pool = "" (commit
/// 2181619), which pool-status-index cannot hold, so it refuses any status update.</item>
/// <item>Pools table rows: <see cref="PoolConfig"/> (pool_config.go PoolConfig) and the reserved rows
/// (<see cref="InstanceClaim"/>, <see cref="TaskLock"/>, <see cref="RunnerOffline"/>, <see cref="FleetDay"/>).</item>
/// </list>
/// </summary>
public static class RunsFleetSeed
{
    /// <summary>Go's time.RFC3339 on a UTC host.</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>SaveJob's item: a launched job on <paramref name="instanceId"/>; <paramref name="pool"/> null = cold start.</summary>
    public static Dictionary<string, AttributeValue> Launched(
        long jobId, string instanceId, DateTimeOffset createdAt, string? pool = null, string instanceType = "m7g.large",
        int retryCount = 0, long runId = 9_000_000_001, string repo = "acme/app", bool spot = true)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            ["instance_id"] = S(instanceId),
            ["job_id"] = N(jobId),
            ["run_id"] = N(runId),
            ["repo"] = S(repo),
            ["instance_type"] = S(instanceType),
            ["spot"] = new() { BOOL = spot },
            ["retry_count"] = N(retryCount),
            ["warm_pool_hit"] = new() { BOOL = pool is not null },
            ["status"] = S("launched"),
            ["created_at"] = S(Rfc3339(createdAt)),
        };
        if (pool is not null)
        {
            item["pool"] = S(pool);
        }

        return item;
    }

    /// <summary>writeClaim's stub: status claiming, no instance_id, no pool, empty instance_type.</summary>
    public static Dictionary<string, AttributeValue> Claiming(long jobId, DateTimeOffset createdAt, int attempts = 1) => new(StringComparer.Ordinal)
    {
        ["job_id"] = N(jobId),
        ["run_id"] = N(9_000_000_001),
        ["repo"] = S("acme/app"),
        ["instance_type"] = S(string.Empty),
        ["spot"] = new() { BOOL = false },
        ["retry_count"] = N(attempts),
        ["warm_pool_hit"] = new() { BOOL = false },
        ["status"] = S("claiming"),
        ["created_at"] = S(Rfc3339(createdAt)),
    };

    /// <summary>MarkJobStarted: launched -> running with started_at.</summary>
    public static Dictionary<string, AttributeValue> Running(Dictionary<string, AttributeValue> launched, DateTimeOffset startedAt) =>
        With(launched, ("status", S("running")), ("started_at", S(Rfc3339(startedAt))));

    /// <summary>MarkJobComplete with the agent's status (or completed/error/cancelled runs-fleet writes itself).</summary>
    public static Dictionary<string, AttributeValue> Ended(
        Dictionary<string, AttributeValue> record, string status, DateTimeOffset completedAt, int exitCode = 0, int duration = 60) =>
        With(record, ("status", S(status)), ("exit_code", N(exitCode)), ("duration_seconds", N(duration)),
            ("completed_at", S(Rfc3339(completedAt))));

    /// <summary>markJobRequeued (requeue.go / jobs.go:1220): requeued with requeued_at.</summary>
    public static Dictionary<string, AttributeValue> Requeued(Dictionary<string, AttributeValue> record, DateTimeOffset requeuedAt) =>
        With(record, ("status", S("requeued")), ("requeued_at", S(Rfc3339(requeuedAt))));

    /// <summary>MarkInstanceTerminating (jobs.go:547): status terminating.</summary>
    public static Dictionary<string, AttributeValue> Terminating(Dictionary<string, AttributeValue> record) =>
        With(record, ("status", S("terminating")));

    /// <summary>MarkJobOrphaned (orphans.go): orphaned, completed_at, pool REMOVEd.</summary>
    public static Dictionary<string, AttributeValue> Orphaned(Dictionary<string, AttributeValue> record, DateTimeOffset at)
    {
        var item = With(record, ("status", S("orphaned")), ("completed_at", S(Rfc3339(at))));
        item.Remove("pool");
        return item;
    }

    /// <summary>
    /// A record from before runs-fleet #227: pool stored as "" (cold start). Real tables hold it from before
    /// pool-status-index existed; dynalite-strict takes it only with the seed marker.
    /// </summary>
    public static Dictionary<string, AttributeValue> LegacyEmptyPool(Dictionary<string, AttributeValue> record) =>
        With(record, ("pool", S(string.Empty)), (DynaliteFixture.SeedUncheckedAttribute, new AttributeValue { BOOL = true }));

    /// <summary>A pool configuration row (pool_config.go PoolConfig): fixed type or flexible (no instance_type).</summary>
    public static Dictionary<string, AttributeValue> PoolConfig(string pool, string? instanceType, int desiredRunning, int desiredStopped)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            ["pool_name"] = S(pool),
            ["instance_type"] = S(instanceType ?? string.Empty),
            ["desired_running"] = N(desiredRunning),
            ["desired_stopped"] = N(desiredStopped),
        };
        if (instanceType is null)
        {
            // Flexible pool: CreatePool writes the spec instead of a type.
            item["arch"] = S("arm64");
            item["cpu_min"] = N(2);
            item["cpu_max"] = N(8);
            item["families"] = new AttributeValue { L = [S("c7g"), S("m7g")] };
        }

        return item;
    }

    /// <summary>ClaimInstanceForJob's row (instance_claims.go): __instance_claim:ID with job_id, claimed_at, claim_expiry (epoch s).</summary>
    public static Dictionary<string, AttributeValue> InstanceClaim(string instanceId, long jobId, DateTimeOffset claimedAt, TimeSpan ttl) => new(StringComparer.Ordinal)
    {
        ["pool_name"] = S("__instance_claim:" + instanceId),
        ["job_id"] = N(jobId),
        ["claimed_at"] = N(claimedAt.ToUnixTimeSeconds()),
        ["claim_expiry"] = N((claimedAt + ttl).ToUnixTimeSeconds()),
    };

    /// <summary>A housekeeping task lock row (locks.go): __task_lock:NAME with lock_owner, lock_expires.</summary>
    public static Dictionary<string, AttributeValue> TaskLock(string task, DateTimeOffset expires) => new(StringComparer.Ordinal)
    {
        ["pool_name"] = S("__task_lock:" + task),
        ["lock_owner"] = S("runs-fleet-server-1"),
        ["lock_expires"] = N(expires.ToUnixTimeSeconds()),
    };

    /// <summary>A runner sighting row (runner_sightings.go): __runner_offline:REPO:ID with first_seen_offline.</summary>
    public static Dictionary<string, AttributeValue> RunnerOffline(string repo, long runnerId, DateTimeOffset firstSeen) => new(StringComparer.Ordinal)
    {
        ["pool_name"] = S($"__runner_offline:{repo}:{runnerId.ToString(CultureInfo.InvariantCulture)}"),
        ["first_seen_offline"] = N(firstSeen.ToUnixTimeSeconds()),
        ["ttl"] = N((firstSeen + TimeSpan.FromDays(2)).ToUnixTimeSeconds()),
    };

    /// <summary>A fleet cost day row (fleet_cost.go): __fleet_day:YYYY-MM-DD with last_sample_at.</summary>
    public static Dictionary<string, AttributeValue> FleetDay(DateOnly day, DateTimeOffset lastSample) => new(StringComparer.Ordinal)
    {
        ["pool_name"] = S("__fleet_day:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["day"] = S(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["cost_usd"] = new() { N = "12.5" },
        ["last_sample_at"] = N(lastSample.ToUnixTimeSeconds()),
    };

    /// <summary>Writes the items (PutItem each, as the Go code does).</summary>
    public static async Task PutAsync(IAmazonDynamoDB db, string table, params Dictionary<string, AttributeValue>[] items)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            await db.PutItemAsync(new PutItemRequest { TableName = table, Item = item });
        }
    }

    private static Dictionary<string, AttributeValue> With(
        Dictionary<string, AttributeValue> record, params (string Name, AttributeValue Value)[] sets)
    {
        var item = new Dictionary<string, AttributeValue>(record, StringComparer.Ordinal);
        foreach (var (name, value) in sets)
        {
            item[name] = value;
        }

        return item;
    }

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
