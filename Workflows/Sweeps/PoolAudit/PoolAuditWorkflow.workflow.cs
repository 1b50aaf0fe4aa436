using RunsFleet.Contracts.Sweeps.PoolAudit;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Common;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>Audits the warm pools with one activity: it reads every pool, counts their instances
/// (running, stopped, idle), prices them and renders the markdown report and, outside a dry
/// run, writes it to S3 (when configured) and publishes per-pool metrics. The pools and their
/// tallies never enter the history (they grow ~190 bytes per pool and would pass Temporal's
/// 2 MB payload limit near 10,000 pools); the workflow keeps only the report's key and totals,
/// so every payload is the same size at any number of pools. The audit time is fixed here, so
/// a retried activity measures uptimes against the same instant and writes the same key.</summary>
[Workflow(SweepWorkflowTypes.PoolAudit)]
public sealed class PoolAuditWorkflow() : SweepWorkflow(SweepKind.PoolAudit)
{
    [WorkflowRun]
    public async Task<PoolAuditResult> RunAsync(PoolAuditInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Report(SweepProgress.Planning(SweepKind.PoolAudit, input.DryRun));
        var request = new PoolAuditRequest(Workflow.UtcNow, Workflow.Info.WorkflowId, Workflow.Info.RunId,
            input.DryRun);
        Report(SweepPhases.Scanning);
        var summary = await Workflow.ExecuteActivityAsync(
            (PoolAuditActivities a) => a.AuditPoolsAsync(request), ActivityPolicies.SweepPage);

        Workflow.Logger.LogInformation(
            "PoolAudit{DryRun}: {Pools} pools, {Running} running, {Stopped} stopped, {Idle} idle, report {Key}",
            input.DryRun ? " (dry run)" : string.Empty, summary.Totals.Pools, summary.Totals.Running,
                summary.Totals.Stopped, summary.Totals.Idle, summary.ReportKey ?? "not uploaded");
        var result = new PoolAuditResult(
            input.DryRun, summary.ReportKey, summary.Totals, summary.UntrackedInstances, summary.MetricsPublished,
                summary.InstancesScanned, summary.Pages);
        Report(result.ToView());
        return result;
    }
}
