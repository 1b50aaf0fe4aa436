using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// OrphanedJobSweep's steps: plan, status-index pages status by status into the workflow's
/// progress record, then the mark batches.
/// </summary>
internal static class OrphanedJobSweepDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, cap at its limit: every orphaned job is marked.</summary>
    public static SweepDriver<OrphanedJobSweepPlan, OrphanedJobSweepProgress> For(
        SweepClients clients, SweepTarget target)
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
        return new(
            () => activities.PlanOrphanedJobSweepAsync(new OrphanedJobPlanRequest(target.Now, null, null, null)),
            OrphanedJobSweepProgress.Start,
            progress => progress.ScanDone,
            async (plan, progress) => progress.Add(await activities.ScanOrphanedJobPageAsync(new OrphanedJobScanRequest(
                progress.Status,
                progress.Cursor,
                plan.PageSize,
                plan.CreatedBefore,
                plan.RuntimeCutoff,
                progress.CandidateSlots)
            {
                ThresholdCutoff = plan.ThresholdCutoff,
            })),
            async (plan, progress) =>
            {
                long marked = 0;
                foreach (var batch in progress.Candidates.Chunk(Math.Max(1, plan.MarkBatchSize)))
                {
                    marked += (await activities.MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(batch))).Marked;
                }

                return marked;
            });
    }
}
