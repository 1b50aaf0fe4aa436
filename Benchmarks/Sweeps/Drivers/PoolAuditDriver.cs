using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the PoolAudit activities, in the workflow's order: the
/// one audit activity (pools pages, instance pages, report, upload, metrics inside it).
/// The one file to adapt when the activities change.
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

        var summary = await activities.AuditPoolsAsync(new PoolAuditRequest(target.Now, WorkflowId, RunId, DryRun: false));
        return summary.InstancesScanned;
    }
}
