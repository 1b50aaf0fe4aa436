using System.Globalization;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Benchmarks.Sweeps.Drivers;
using RunsFleet.Tests.Support;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// PoolAudit's data: N pool instances over N/100 pools (index mod 100 = 99: a pool missing from
/// the table). By index mod 10: 0-3 running with a running job, 4-6 running idle (a finished
/// job), 7-9 stopped.
/// </summary>
internal static class PoolAuditScenario
{
    public const string Name = "pool_audit";

    public static async Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var jobsTable = await context.CreateJobsTableAsync($"pool-audit-{size}-jobs", cancellationToken);
        var poolsTable = await context.CreatePoolsTableAsync($"pool-audit-{size}-pools", cancellationToken);
        var now = context.Now;
        var poolCount = Math.Max(1, size / 100);
        string PoolName(int index) => "pool-" + index.ToString("D4", CultureInfo.InvariantCulture);
        await context.PutAllAsync(
            poolsTable,
            Enumerable.Range(0, poolCount).Select(p => new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                ["pool_name"] = new() { S = PoolName(p) },
                ["instance_type"] = new() { S = "m5.large" },
                ["desired_running"] = new() { N = "70" },
                ["desired_stopped"] = new() { N = "30" },
                ["ebs_volume_gb"] = new() { N = "30" },
            }),
            cancellationToken);

        var jobs = new List<Dictionary<string, AttributeValue>>();
        long active = 0;
        for (var i = 0; i < size; i++)
        {
            var id = SeedContext.InstanceId(i);
            var pool = i % 100 == 99 ? "retired-pool" : PoolName(i % poolCount);
            var slot = i % 10;
            var launched = now.AddHours(-1 - (i % 48));
            var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["runs-fleet:managed"] = "true", ["runs-fleet:pool"] = pool };
            fakes.Ec2.AddInstance(id, slot < 7 ? Ec2States.Running : Ec2States.Stopped, launched, "m5.large", tags, "r-" + id[2..]);
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
            context.Target(Name, fakes, jobsTable, poolsTable),
            RequestMinimums.PoolAudit(poolCount, PoolAuditDriver.PoolsPageSize, size, new Dictionary<string, long>(StringComparer.Ordinal) { ["running"] = active }),
            size,
            "instances scanned",
            $"{poolCount} pools, {size} pool instances, {active} active jobs",
            fakes);
    }
}
