using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the OrphanedJobSweep activities, in the workflow's order:
/// plan, one status-index page after another, status by status (the workflow's own progress
/// record), then the mark batches. The one file to adapt when the activities change.
/// </summary>
internal static class OrphanedJobSweepDriver
{
    /// <summary>Status-index Query page size (the default setting), for the minimum.</summary>
    public static int PageSize => new OrphanedJobSweepOptions().PageSize;

    /// <summary>Jobs per mark activity (the default setting), for the minimum.</summary>
    public static int MarkBatchSize => new OrphanedJobSweepOptions().MarkBatchSize;

    /// <summary>The sweep's threshold (the default setting, runs-fleet's 2 h), for the seed.</summary>
    public static TimeSpan Threshold => TimeSpan.FromMinutes(new OrphanedJobSweepOptions().ThresholdMinutes);

    /// <summary>The runner parameter prefix (the default setting), for the seed.</summary>
    public static string ParameterPrefix => new RunnerParameterOptions().Prefix;

    /// <summary>Runs the sweep (not a dry run, cap at its limit so every orphaned job is marked); returns the jobs marked.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new OrphanedJobSweepActivities(
            clients.DynamoDb,
            clients.Ec2,
            clients.Ssm,
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            Options.Create(new OrphanedJobSweepOptions { MaxJobs = OrphanedJobSweepOptions.MaxJobsLimit }),
            Options.Create(new RunnerParameterOptions()),
            new DiscardingMetricsSink(),
            TimeProvider.System,
            NullLogger<OrphanedJobSweepActivities>.Instance);

        var plan = await activities.PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(target.Now, null, null, null));
        var progress = OrphanedJobSweepContinuation.Start(plan);
        while (!progress.ScanDone)
        {
            var request = new OrphanedJobScanRequest(progress.Status, progress.Cursor, plan.PageSize, plan.CreatedBefore, plan.RuntimeCutoff, progress.CandidateSlots)
            {
                ThresholdCutoff = plan.ThresholdCutoff,
            };
            progress = progress.Add(await activities.ScanOrphanedJobPageAsync(request));
        }

        var action = OrphanedJobRules.Act(progress.OrphanCount, plan.MaxJobs, dryRun: false, progress.InstancesChecked, progress.InstancesKnown);
        if (action != SweepAction.Act)
        {
            throw new InvalidOperationException($"OrphanedJobSweep decided {action} for {progress.OrphanCount} orphaned jobs: the seed is wrong.");
        }

        long marked = 0;
        foreach (var batch in progress.Candidates.Chunk(Math.Max(1, plan.MarkBatchSize)))
        {
            var result = await activities.MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(batch));
            marked += result.Outcomes.Count(o => o.Decision == OrphanedJobDecision.Marked);
        }

        return marked;
    }
}
