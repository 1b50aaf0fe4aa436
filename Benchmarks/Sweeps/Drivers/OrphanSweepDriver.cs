using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using Temporalio.Testing;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the OrphanSweep activities, in the workflow's order:
/// plan, scan page by page (the workflow's own progress record), terminate in batches, metric.
/// The one file to adapt when the activities change. Each call runs in an activity context (one
/// workflow id), as on a worker: the active jobs are then read once per sweep through the
/// worker's ActiveJobSetCache, keyed by the running workflow; outside a context every page reads them.
/// </summary>
internal static class StrayInstanceSweepDriver
{
    /// <summary>Runs the sweep (not a dry run, cap at its limit so every orphan goes); returns the instances terminated.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new StrayInstanceSweepActivities(
            clients.Ec2,
            clients.DynamoDb,
            Options.Create(new StrayInstanceSweepOptions
            {
                MaxTerminations = StrayInstanceSweepOptions.MaxTerminationsLimit,
                PoolsTableName = target.PoolsTable,
            }),
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            new DiscardingMetricsSink(),
            NullLogger<StrayInstanceSweepActivities>.Instance);

        var context = new ActivityEnvironment();
        var plan = await context.RunAsync(() => activities.PlanStrayInstanceSweepAsync(
            new StrayInstancePlanRequest(target.Now, null, null, null)));
        // As the workflow's patched branch: the Packer builders' listing follows when the plan has phase f.
        var progress = StrayInstanceSweepContinuation.Start(plan) with
        {
            ListsPackerBuilders = plan.Phases?.ListsPackerBuilders == true,
        };
        while (!progress.ScanDone)
        {
            var request = new StrayInstanceScanRequest(progress.NextToken, plan.Cutoff, plan.PageSize, progress.OrphanIdSlots, progress.ListSlots)
            {
                Listing = progress.Listing,
                Phases = plan.Phases,
            };
            progress = progress.Add(await context.RunAsync(() => activities.ScanStrayInstancePageAsync(request)));
        }

        var action = SweepBlastRadius.Decide(progress.OrphanCount, plan.MaxTerminations, dryRun: false);
        if (action != SweepAction.Act)
        {
            throw new InvalidOperationException($"OrphanSweep decided {action} for {progress.OrphanCount} orphans: the seed is wrong.");
        }

        var terminated = 0;
        foreach (var batch in progress.Orphans.Chunk(Math.Max(1, plan.TerminateBatchSize)))
        {
            terminated += (await context.RunAsync(() => activities.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)))).Terminated;
        }

        await context.RunAsync(() => activities.PublishStrayInstanceMetricsAsync(terminated));
        return terminated;
    }

    /// <summary>The terminate batch size the sweep runs with (for the minimum).</summary>
    public static int TerminateBatchSize => new StrayInstanceSweepOptions().TerminateBatchSize;
}
