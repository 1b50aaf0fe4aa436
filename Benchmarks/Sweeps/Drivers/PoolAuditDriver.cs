using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// PoolAudit's steps: its workflow runs one activity (pools pages, instance pages, volumes,
/// report, upload and metrics inside it), so the plan is the request and the scan one page.
/// </summary>
internal static class PoolAuditDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, report bucket set; outcome: instances counted.</summary>
    public static SweepDriver<PoolAuditRequest, PoolAuditSummary?> For(SweepClients clients, SweepTarget target)
    {
        var activities = new PoolAuditActivities(
            clients.DynamoDb,
            clients.Ec2,
            clients.S3,
            Options.Create(new PoolAuditOptions { PoolsTableName = target.PoolsTable, ReportBucket = target.Bucket }),
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            new DiscardingMetricsSink(),
            NullLogger<PoolAuditActivities>.Instance);
        return new(
            () => Task.FromResult(new PoolAuditRequest(
                target.Now, SweepNames.WorkflowId(SweepKind.PoolAudit), "benchmark", DryRun: false)),
            _ => null,
            summary => summary is not null,
            async (request, _) => await activities.AuditPoolsAsync(request),
            (_, summary) => Task.FromResult<long>(summary!.InstancesScanned));
    }
}
