using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Workflows.Sweeps.PoolAudit;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the PoolAudit activities, in the workflow's order: plan,
/// pools pages, then instance pages (the workflow's own progress record), build the report,
/// upload it, publish the metrics. The one file to adapt when the activities change.
/// </summary>
internal static class PoolAuditDriver
{
    private const string WorkflowId = "sweep-pool-audit";
    private const string RunId = "benchmark";

    /// <summary>Pools per Scan page (the default setting), for the minimum.</summary>
    public static int PoolsPageSize => new PoolAuditOptions().PoolsPageSize;

    /// <summary>Runs the audit (not a dry run, report bucket set); returns the instances scanned.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new PoolAuditActivities(
            clients.DynamoDb,
            clients.Ec2,
            clients.S3,
            Options.Create(new PoolAuditOptions { PoolsTableName = target.PoolsTable, ReportBucket = target.Bucket }),
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            new DiscardingMetricsSink(),
            NullLogger<PoolAuditActivities>.Instance);

        var plan = await activities.PlanPoolAuditAsync(new PoolAuditPlanRequest(target.Now, null));
        var progress = PoolAuditProgress.Start(plan);
        while (!(progress.PoolsDone && (progress.Pools.Count == 0 || progress.InstancesDone)))
        {
            progress = progress.PoolsDone
                ? progress.Add(await activities.CountPoolInstancesPageAsync(new PoolInstancesPageRequest(
                    progress.InstancesToken, plan.AuditTime, plan.InstancePageSize, progress.Pools.Select(p => p.Name).ToList())))
                : progress.Add(await activities.ReadPoolsPageAsync(new PoolsPageRequest(progress.PoolsCursor, plan.PoolsPageSize)));
        }

        var report = await activities.BuildPoolAuditReportAsync(
            new PoolAuditReportRequest(plan.AuditTime, progress.Pools, progress.Tallies, progress.Untracked));
        if (plan.UploadConfigured)
        {
            await activities.UploadPoolAuditReportAsync(new PoolAuditUploadRequest(plan.AuditTime, WorkflowId, RunId, report.Markdown));
        }

        if (report.Rows.Count > 0)
        {
            await activities.PublishPoolAuditMetricsAsync(report.Rows);
        }

        return progress.InstancesScanned;
    }
}
