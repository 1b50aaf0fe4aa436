using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Runners;
using RunsFleet.Tests.Support;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// OrphanedJobSweep's data: N jobs, spread over the statuses it reads (runs-fleet's orphanable
/// ones), created (requeued ones also requeued) past the 2 h threshold, each on its own instance. By index mod 100: 0 its instance is terminated,
/// 1 its instance is unknown to EC2 (both orphaned, their runner parameters exist), the rest
/// run on a live instance.
/// </summary>
internal static class OrphanedJobSweepScenario
{
    public static async Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var (options, prefix) = (new OrphanedJobSweepOptions(), new RunnerParameterOptions().Prefix);
        var jobsTable = await context.CreateJobsTableAsync($"orphaned-jobs-{size}-jobs", cancellationToken);
        var now = context.Now;
        var createdAt = now - TimeSpan.FromMinutes(options.ThresholdMinutes) - TimeSpan.FromMinutes(10);
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        var jobs = new List<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>();
        long orphans = 0;
        for (var i = 0; i < size; i++)
        {
            var id = SeedContext.InstanceId(i);
            var slot = i % 100;
            var status = OrphanedJobRules.OrphanableStatuses[i % OrphanedJobRules.OrphanableStatuses.Count];
            var job = SeedContext.Job(i + 1, id, status, createdAt.AddSeconds(-(i % 600)));
            if (status == JobRecord.Requeued)
            {
                job[JobRecord.RequeuedAt] = new() { S = JobRecord.FormatTimestamp(createdAt) };
            }

            jobs.Add(job);
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            if (slot != 1)
            {
                fakes.Ec2.AddInstance(id, slot == 0 ? Ec2States.Terminated : Ec2States.Running, createdAt.AddMinutes(-1), "m5.large", null, "r-" + id[2..]);
            }

            if (slot < 2)
            {
                orphans++;
                fakes.Ssm.Put($"{prefix}/{id}/config", "x", createdAt, "String");
                fakes.Ssm.Put($"{prefix}/{id}/credential", "x", createdAt, "SecureString");
            }
        }

        await context.PutAllAsync(jobsTable, jobs, cancellationToken);
        return new SeededSweep(
            context.Target(SweepKind.OrphanedJobs, fakes, jobsTable),
            RequestMinimums.OrphanedJobSweep(byStatus, orphans, options.MarkBatchSize),
            orphans,
            "marked",
            $"{size} non-terminal jobs ({string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Value}"))}), {orphans} on gone instances",
            fakes);
    }
}
