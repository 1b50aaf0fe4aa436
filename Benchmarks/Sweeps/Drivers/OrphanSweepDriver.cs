using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Workflows.Sweeps.Orphans;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// OrphanSweep's steps: plan, listing pages into the workflow's progress record, then terminate
/// batches and the metric. Its pages share one read of the active jobs (the activity context).
/// </summary>
internal static class OrphanSweepDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, cap at its limit so every orphan goes.</summary>
    public static SweepDriver<OrphanSweepPlan, OrphanSweepProgress> For(SweepClients clients, SweepTarget target) =>
        Steps(
            new OrphanSweepActivities(
                clients.Ec2,
                clients.DynamoDb,
                Options.Create(new OrphanSweepOptions
                {
                    MaxTerminations = OrphanSweepOptions.MaxTerminationsLimit,
                    PoolsTableName = target.PoolsTable,
                }),
                Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
                new DiscardingMetricsSink(),
                NullLogger<OrphanSweepActivities>.Instance),
            target.Now);

    /// <summary>The steps over <paramref name="activities"/> (the tests' own, over their fakes).</summary>
    public static SweepDriver<OrphanSweepPlan, OrphanSweepProgress> Steps(
        OrphanSweepActivities activities, DateTimeOffset now) => new(
        () => activities.PlanOrphanSweepAsync(new OrphanPlanRequest(now, null, null, null)),
        // As the workflow's patched branch: the Packer builders' listing follows when the plan has phase f.
        plan => OrphanSweepProgress.Start(plan) with { ListsPackerBuilders = plan.Phases?.ListsPackerBuilders == true },
        progress => progress.ScanDone,
        async (plan, progress) => progress.Add(await activities.ScanOrphanPageAsync(
            new OrphanScanRequest(
                progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots)
            {
                Listing = progress.Listing,
                Phases = plan.Phases,
            })),
        async (_, progress) =>
        {
            var outcomes = await TerminateAsync(activities, progress);
            var terminated = outcomes.Count(o => o.Decision == OrphanDecision.Terminated);
            await activities.PublishOrphanMetricsAsync(terminated);
            return terminated;
        });

    /// <summary>Terminates the scan's orphans in the plan's batches; every batch's outcomes.</summary>
    public static async Task<List<OrphanInstanceReport>> TerminateAsync(
        OrphanSweepActivities activities, OrphanSweepProgress progress)
    {
        var outcomes = new List<OrphanInstanceReport>();
        foreach (var batch in progress.Orphans.Chunk(Math.Max(1, progress.Plan.TerminateBatchSize)))
        {
            outcomes.AddRange((await activities.TerminateOrphansAsync(new OrphanTerminateRequest(batch))).Outcomes);
        }

        return outcomes;
    }
}
