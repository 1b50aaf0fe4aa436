using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.StrayInstances;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// OrphanSweep's steps: plan, listing pages into the workflow's progress record, then terminate
/// batches and the metric. Its pages share one read of the active jobs (the activity context).
/// </summary>
internal static class StrayInstanceSweepDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, cap at its limit so every orphan goes.</summary>
    public static SweepDriver<StrayInstanceSweepPlan, StrayInstanceSweepContinuation> For(SweepClients clients, SweepTarget target) =>
        Steps(
            new StrayInstanceSweepActivities(
                clients.Ec2,
                clients.DynamoDb,
                Options.Create(new StrayInstanceSweepOptions
                {
                    MaxTerminations = StrayInstanceSweepOptions.MaxTerminationsLimit,
                    PoolsTableName = target.PoolsTable,
                }),
                Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
                new DiscardingMetricsSink(),
                NullLogger<StrayInstanceSweepActivities>.Instance),
            target.Now);

    /// <summary>The steps over <paramref name="activities"/> (the tests' own, over their fakes).</summary>
    public static SweepDriver<StrayInstanceSweepPlan, StrayInstanceSweepContinuation> Steps(
        StrayInstanceSweepActivities activities, DateTimeOffset now) => new(
        () => activities.PlanStrayInstanceSweepAsync(new StrayInstancePlanRequest(now, null, null, null)),
        // As the workflow's patched branch: the Packer builders' listing follows when the plan has phase f.
        plan => StrayInstanceSweepContinuation.Start(plan) with { ListsPackerBuilders = plan.Phases?.ListsPackerBuilders == true },
        progress => progress.ScanDone,
        async (plan, progress) => progress.Add(await activities.ScanStrayInstancePageAsync(
            new StrayInstanceScanRequest(
                progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots)
            {
                Listing = progress.Listing,
                Phases = plan.Phases,
            })),
        async (_, progress) =>
        {
            var outcomes = await TerminateAsync(activities, progress);
            var terminated = outcomes.Count(o => o.Decision == StrayInstanceDecision.Terminated);
            await activities.PublishStrayInstanceMetricsAsync(terminated);
            return terminated;
        });

    /// <summary>Terminates the scan's orphans in the plan's batches; every batch's outcomes.</summary>
    public static async Task<List<StrayInstanceReport>> TerminateAsync(
        StrayInstanceSweepActivities activities, StrayInstanceSweepContinuation progress)
    {
        var outcomes = new List<StrayInstanceReport>();
        foreach (var batch in progress.Orphans.Chunk(Math.Max(1, progress.Plan.TerminateBatchSize)))
        {
            outcomes.AddRange((await activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch))).Outcomes);
        }

        return outcomes;
    }
}
