using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Workflows.Common;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Sweeps.PoolAudit;

/// <summary>
/// Audits the warm pools: reads every pool, counts their instances (running, stopped,
/// idle) page by page; one activity then prices them and renders the markdown report and,
/// outside a dry run, writes it to S3 (when configured) and publishes per-pool metrics. The
/// workflow keeps only the report's key and totals. The
/// audit time is fixed at the first run so uptimes are measured against one instant.
/// </summary>
[Workflow(SweepWorkflowTypes.PoolAudit)]
public sealed class PoolAuditWorkflow
{
    [WorkflowRun]
    public async Task<PoolAuditResult> RunAsync(PoolAuditInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var progress = input.Progress ?? PoolAuditProgress.Start(await Workflow.ExecuteActivityAsync(
            (PoolAuditActivities a) => a.PlanPoolAuditAsync(new PoolAuditPlanRequest(Workflow.UtcNow, input.PagesPerRun)),
            ActivityPolicies.ShortAwsCall));
        var plan = progress.Plan;

        progress = await SweepPaging.ReadAllPagesAsync(
            progress,
            new SweepRunBudget(plan.PagesPerRun, FollowsServerSuggestion: false),
            p => p.PoolsDone && (p.Pools.Count == 0 || p.InstancesDone),
            p => ReadPageAsync(p, plan),
            p =>
            {
                var next = input with { Progress = p with { Runs = p.Runs + 1 } };
                return Workflow.CreateContinueAsNewException((PoolAuditWorkflow wf) => wf.RunAsync(next));
            });

        var publish = new PoolAuditPublishRequest(
            plan.AuditTime, progress.Pools, progress.Tallies, progress.Untracked, Workflow.Info.WorkflowId, Workflow.Info.RunId, input.DryRun);
        var summary = await Workflow.ExecuteActivityAsync(
            (PoolAuditActivities a) => a.PublishPoolAuditReportAsync(publish), ActivityPolicies.ShortAwsCall);

        Workflow.Logger.LogInformation(
            "PoolAudit{DryRun}: {Pools} pools, {Running} running, {Stopped} stopped, {Idle} idle, report {Key}",
            input.DryRun ? " (dry run)" : string.Empty, summary.Totals.Pools, summary.Totals.Running, summary.Totals.Stopped, summary.Totals.Idle, summary.ReportKey ?? "not uploaded");
        return new PoolAuditResult(
            input.DryRun, summary.ReportKey, summary.Totals, summary.UntrackedInstances, summary.MetricsPublished, progress.InstancesScanned, progress.Pages, progress.Runs);
    }

    // Every pool first (the instance pages need their names), then the instances of all pools.
    private static async Task<PoolAuditProgress> ReadPageAsync(PoolAuditProgress progress, PoolAuditPlan plan)
    {
        if (!progress.PoolsDone)
        {
            var request = new PoolsPageRequest(progress.PoolsCursor, plan.PoolsPageSize);
            return progress.Add(await Workflow.ExecuteActivityAsync(
                (PoolAuditActivities a) => a.ReadPoolsPageAsync(request), ActivityPolicies.ShortAwsCall));
        }

        var instances = new PoolInstancesPageRequest(
            progress.InstancesToken, plan.AuditTime, plan.InstancePageSize, progress.Pools.Select(p => p.Name).ToList());
        return progress.Add(await Workflow.ExecuteActivityAsync(
            (PoolAuditActivities a) => a.CountPoolInstancesPageAsync(instances), ActivityPolicies.SweepPage));
    }
}
