using System.Globalization;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Tests.Support;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// PoolAudit's data, on runs-fleet's pools table: N pool instances over N/100 pools (index mod 100
/// = 99: a pool missing from the table), every other pool flexible (no instance_type) and running
/// two types; beside the pools, runs-fleet's reserved rows (task locks, fleet cost days, an
/// instance claim per 100 instances, a runner sighting per 1000). By index mod 10: 0-3 running with
/// a running job, 4-6 running idle (a finished job), 7-9 stopped with a 30 GiB root volume (every
/// 10th of them also a 100 GiB data volume).
/// </summary>
internal static class PoolAuditScenario
{
    // runs-fleet's housekeeping tasks hold a lock row each while they run (pkg/db/locks.go:26).
    private static readonly string[] TaskLocks = ["orphaned_instances", "stale_ssm", "old_jobs", "pool_audit"];

    public static async Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var jobsTable = await context.CreateJobsTableAsync($"pool-audit-{size}-jobs", cancellationToken);
        var poolsTable = await context.CreatePoolsTableAsync($"pool-audit-{size}-pools", cancellationToken);
        var now = context.Now;
        var poolCount = Math.Max(1, size / 100);
        string PoolName(int index) => "pool-" + index.ToString("D4", CultureInfo.InvariantCulture);
        bool Flexible(int index) => index % 2 == 1;
        var rows = Enumerable.Range(0, poolCount).Select(p => PoolRow(PoolName(p), Flexible(p) ? null : "m7g.large")).ToList();
        var reserved = ReservedRows(size, now);
        await context.PutAllAsync(poolsTable, rows.Concat(reserved), cancellationToken);

        var jobs = new List<Dictionary<string, AttributeValue>>();
        long active = 0;
        long stopped = 0;
        long volumes = 0;
        for (var i = 0; i < size; i++)
        {
            var id = SeedContext.InstanceId(i);
            var poolIndex = i % poolCount;
            var retired = i % 100 == 99;
            var pool = retired ? "retired-pool" : PoolName(poolIndex);
            var slot = i % 10;
            var launched = now.AddHours(-1 - (i % 48));
            var type = Flexible(poolIndex) && i % 3 == 0 ? "c7g.xlarge" : "m7g.large";
            var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["runs-fleet:managed"] = "true", ["runs-fleet:pool"] = pool };
            var instance = fakes.Ec2.AddInstance(id, slot < 7 ? Ec2States.Running : Ec2States.Stopped, launched, type, tags, "r-" + id[2..]);
            if (slot >= 7 && !retired)
            {
                stopped++;
                volumes++;
                if (i % 100 == 7)
                {
                    instance.Volumes.Add(new FakeEc2Volume("vol-data-" + id[2..], 100, "gp3", "/dev/sdf"));
                    volumes++;
                }
            }

            if (slot < 4)
            {
                jobs.Add(SeedContext.Job(jobs.Count + 1, id, "running", now.AddMinutes(-20), pool: pool));
                active++;
            }
            else if (slot < 7)
            {
                jobs.Add(SeedContext.Job(jobs.Count + 1, id, "completed", launched.AddMinutes(5), launched.AddMinutes(30), pool));
            }
        }

        await context.PutAllAsync(jobsTable, jobs, cancellationToken);
        return new SeededSweep(
            context.Target(SweepKind.PoolAudit, fakes, jobsTable, poolsTable),
            RequestMinimums.PoolAudit(
                poolCount + reserved.Count,
                new PoolAuditOptions().PoolsPageSize,
                size,
                stopped,
                volumes,
                new Dictionary<string, long>(StringComparer.Ordinal) { ["running"] = active }),
            size,
            "instances scanned",
            $"{poolCount} pools and {reserved.Count} reserved rows, {size} pool instances ({stopped} stopped, {volumes} volumes), {active} active jobs",
            fakes);
    }

    // SavePoolConfig's row (runs-fleet pkg/db/pool_config.go:322): instance_type "" for a flexible pool.
    private static Dictionary<string, AttributeValue> PoolRow(string name, string? type) => new(StringComparer.Ordinal)
    {
        ["pool_name"] = new() { S = name },
        ["instance_type"] = new() { S = type ?? string.Empty },
        ["desired_running"] = new() { N = "70" },
        ["desired_stopped"] = new() { N = "30" },
    };

    // The rows runs-fleet keeps in the pools table besides pools (pkg/db/pool_config.go:111 names their
    // prefixes): the audit reads them with the Scan and must skip them.
    private static List<Dictionary<string, AttributeValue>> ReservedRows(int size, DateTimeOffset now)
    {
        Dictionary<string, AttributeValue> Row(string key, string attribute, long value) => new(StringComparer.Ordinal)
        {
            ["pool_name"] = new() { S = key },
            [attribute] = new() { N = value.ToString(CultureInfo.InvariantCulture) },
        };

        var epoch = now.ToUnixTimeSeconds();
        return
        [
            .. TaskLocks.Select(t => Row("__task_lock:" + t, "lock_expires", epoch)),
            .. Enumerable.Range(1, 30).Select(d => Row("__fleet_day:" + now.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "last_sample_at", epoch)),
            .. Enumerable.Range(0, size / 100).Select(i => Row("__instance_claim:" + SeedContext.InstanceId(i * 100), "claim_expiry", epoch + 300)),
            .. Enumerable.Range(0, size / 1000).Select(i => Row($"__runner_offline:acme/app:{i}", "first_seen_offline", epoch)),
        ];
    }
}
