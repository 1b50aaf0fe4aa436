using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Tests.Support;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// OrphanSweep's data: N managed instances (1% pending, the rest running). By index mod 100:
/// 0-1 orphans (launched 8 h ago, only a finished job), 2 protected (old, no job), 3-29 young
/// (30 min) with a running job, 30-99 old with a running job (50: pending). Each also has one
/// finished job from its launch, as warm instances do.
/// </summary>
internal static class StrayInstanceSweepScenario
{
    public static async Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var jobsTable = await context.CreateJobsTableAsync($"orphans-{size}-jobs", cancellationToken);
        var poolsTable = await context.CreatePoolsTableAsync($"orphans-{size}-pools", cancellationToken);
        var now = context.Now;
        var jobs = new List<Dictionary<string, AttributeValue>>();
        var active = new Dictionary<string, long>(StringComparer.Ordinal);
        long orphans = 0, candidates = 0;
        for (var i = 0; i < size; i++)
        {
            var id = SeedContext.InstanceId(i);
            var slot = i % 100;
            var young = slot is >= 3 and < 30;
            var launched = young ? now.AddMinutes(-30) : now.AddHours(-8).AddMinutes(-(i % 60));
            var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["runs-fleet:managed"] = "true" };
            if (slot == 2)
            {
                tags["runs-fleet:protected"] = "true";
            }

            fakes.Ec2.AddInstance(id, slot == 99 ? Ec2States.Pending : Ec2States.Running, launched, "m5.large", tags, "r-" + id[2..]);
            jobs.Add(SeedContext.Job(jobs.Count + 1, id, "completed", launched.AddMinutes(2), launched.AddMinutes(20)));
            if (slot >= 3)
            {
                // Every active status holds jobs, so each status-created_at-index partition is read.
                var status = JobRecord.ActiveStatuses[slot % JobRecord.ActiveStatuses.Count];
                jobs.Add(SeedContext.Job(jobs.Count + 1, id, status, now.AddMinutes(-20)));
                active[status] = active.GetValueOrDefault(status) + 1;
            }

            orphans += slot < 2 ? 1 : 0;
            candidates += !young && slot != 2 ? 1 : 0;
        }

        await context.PutAllAsync(jobsTable, jobs, cancellationToken);
        return new SeededSweep(
            context.Target(SweepKind.StrayInstances, fakes, jobsTable, poolsTable),
            RequestMinimums.OrphanSweep(size, active, orphans, new StrayInstanceSweepOptions().TerminateBatchSize),
            orphans,
            "terminated",
            $"{size} instances, {candidates} old unprotected, {active.Values.Sum()} active jobs, {orphans} orphans",
            fakes);
    }
}
