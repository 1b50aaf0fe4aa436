using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// OldJobArchival's data: N records completed 10+ days ago, the terminal statuses in turn (all
/// archived and deleted), plus N/10 completed yesterday (kept) and N/20 still running (no
/// completed_at, so outside the index).
/// </summary>
internal static class JobArchiveScenario
{
    public static async Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var jobsTable = await context.CreateJobsTableAsync($"old-jobs-{size}-jobs", cancellationToken);
        var now = context.Now;
        var statuses = JobRecord.ArchivableStatuses;
        var old = statuses.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        var jobs = new List<Dictionary<string, AttributeValue>>();
        for (var i = 0; i < size; i++)
        {
            var status = statuses[i % statuses.Count];
            var completed = now.AddDays(-new JobArchiveOptions().RetentionDays - 3).AddSeconds(-i);
            jobs.Add(SeedContext.Job(jobs.Count + 1, SeedContext.InstanceId(i % 5000), status, completed.AddMinutes(-15), completed));
            old[status]++;
        }

        for (var i = 0; i < size / 10; i++)
        {
            var completed = now.AddDays(-1).AddSeconds(-i);
            jobs.Add(SeedContext.Job(jobs.Count + 1, SeedContext.InstanceId(i), statuses[i % statuses.Count], completed.AddMinutes(-15), completed));
        }

        for (var i = 0; i < size / 20; i++)
        {
            jobs.Add(SeedContext.Job(jobs.Count + 1, SeedContext.InstanceId(i), "running", now.AddMinutes(-10)));
        }

        await context.PutAllAsync(jobsTable, jobs, cancellationToken);
        return new SeededSweep(
            context.Target(SweepKind.JobArchive, fakes, jobsTable),
            RequestMinimums.OldJobArchival(old, new JobArchiveOptions().PageSize),
            size,
            "deleted",
            $"{jobs.Count} records, {size} past the retention ({string.Join(", ", old.Select(p => $"{p.Key} {p.Value}"))})",
            fakes);
    }
}
