using System.Globalization;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;
using RunsFleet.Contracts.Sweeps.StrayInstances;

namespace RunsFleet.Workflows.Sweeps.StrayInstances;

/// <summary>Terminates managed instances that outlived any job and have none. It scans the whole
/// fleet before touching anything, so the blast-radius cap is checked against the full
/// count; the scan continues as new every few pages to keep the history small. "Now" is
/// fixed at the first run, so every page is judged against the same cutoff.</summary>
[Workflow(SweepWorkflowTypes.OrphanSweep)]
public sealed class StrayInstanceSweepWorkflow() : SweepWorkflow(SweepKind.StrayInstances)
{
    private static readonly StrayInstancePolicy.ActionJson ActionJson = new();

    [WorkflowRun]
    public async Task<StrayInstanceSweepResult> RunAsync(StrayInstanceSweepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var continued = SweepContinuation.Read<StrayInstanceSweepContinuation>(input.Continuation);
        Report(continued?.ToView(input.DryRun) ?? SweepProgress.Planning(SweepKind.StrayInstances,
            input.DryRun));
        var progress = continued ?? await StartAsync(input);
        var plan = progress.Plan;

        progress = await SweepPaging.ReadAllPagesAsync(
            progress,
            new SweepRunBudget(plan.PagesPerRun, FollowsServerSuggestion: false),
            p => p.ScanDone,
            async p =>
            {
                var request = new StrayInstanceScanRequest(p.NextToken, plan.Cutoff, plan.PageSize, p.OrphanIdSlots,
                    p.ListSlots)
                {
                    Listing = p.Listing, Phases = plan.Phases,
                };
                return p.Add(await Workflow.ExecuteActivityAsync(
                    (StrayInstanceSweepActivities a) => a.ScanStrayInstancePageAsync(request),
                        ActivityPolicies.SweepPage));
            },
            p => input with { Continuation = SweepContinuation.Write(p with { Runs = p.Runs + 1 }) },
            p => Report(p.ToView(input.DryRun)));

        var action = SweepBlastRadius.Decide(progress.OrphanCount, plan.MaxTerminations, input.DryRun);
        var scanned = progress;
        void ReportActing(IReadOnlyCollection<StrayInstanceReport> outcomes) =>
            Report(scanned.ToView(input.DryRun, action, outcomes));
        ReportActing([]);
        var orphanReports = action switch
        {
            SweepAction.Nothing => [],
            SweepAction.Act => await TerminateAsync(progress.Orphans, plan.TerminateBatchSize, ReportActing),
            SweepAction.DryRun => progress.Orphans
                .Select(o => o.Report(StrayInstanceDecision.DryRun, "dry run, would terminate: " + o.Reason))
                .ToList(),
            _ => progress.Orphans
                .Select(o => o.Report(
                    StrayInstanceDecision.CapReached,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{progress.OrphanCount} orphans exceed the cap of {plan.MaxTerminations}: nothing "
                        + $"terminated")))
                .ToList(),
        };
        var terminated = orphanReports.Count(r => r.Decision == StrayInstanceDecision.Terminated);
        var terminatedByPhase = orphanReports
            .Where(r => r.Decision == StrayInstanceDecision.Terminated)
            .Aggregate(StrayInstancePhaseCounts.Zero, (counts, r) =>
                counts.Count(r.Phase ?? StrayInstancePhase.MaxRuntime));

        if (!input.DryRun)
        {
            Report(SweepPhases.Publishing);
            await Workflow.ExecuteActivityAsync(
                (StrayInstanceSweepActivities a) => a.PublishStrayInstanceMetricsAsync(terminated, terminatedByPhase),
                    ActivityPolicies.ShortAwsCall);
        }

        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{(input.DryRun ? "Dry run: " : string.Empty)}scanned {progress.Scanned} instances in {progress.Pages} "
                + $"pages, {progress.Scanned - progress.Young} candidates (max runtime cutoff "
                + $"{plan.Cutoff:yyyy-MM-ddTHH:mm:ssZ}), {progress.OrphanCount} orphans "
                + $"({Phases(progress.PhaseCounts)}), {terminated} terminated ({ActionJson.Name(action)}), "
                + $"{progress.KeptCounts.Total} "
                + $"kept (active job {progress.KeptCounts.ActiveJob}, protected {progress.KeptCounts.Protected}, "
                + $"lookup failed {progress.KeptCounts.LookupFailed}, no launch time "
                + $"{progress.KeptCounts.MissingLaunchTime}, no runner evidence "
                + $"{progress.KeptCounts.NoRunnerEvidence})");
        Workflow.Logger.LogInformation("OrphanSweep: {Summary}", summary);
        Report(SweepPhases.Done);

        return new StrayInstanceSweepResult
        {
            DryRun = input.DryRun, Now = plan.Now, Cutoff = plan.Cutoff, MaxTerminations = plan.MaxTerminations,
            Action = action, Scanned = progress.Scanned, Young = progress.Young,
            Candidates = progress.Scanned - progress.Young, OrphansFound = progress.OrphanCount,
            Terminated = terminated, Kept = progress.KeptCounts,
            Instances = [.. orphanReports, .. progress.Kept],
            UnlistedInstances =
                progress.KeptCounts.Total - progress.Kept.Count + (progress.OrphanCount - progress.Orphans.Count),
            Pages = progress.Pages, Runs = progress.Runs, Summary = summary, OrphansByPhase = progress.PhaseCounts,
            TerminatedByPhase = terminatedByPhase,
        };
    }

    // Plans the sweep. Phase f's listing is a command the releases before it never issued: only a run
    // that records the patch marker reads it, so their histories replay unchanged (the plan they
    // recorded has no phase f, and a run planned by a newer worker under older workflow code has no marker).
    private static async Task<StrayInstanceSweepContinuation> StartAsync(StrayInstanceSweepInput input)
    {
        var plan = await Workflow.ExecuteActivityAsync(
            (StrayInstanceSweepActivities a) => a.PlanStrayInstanceSweepAsync(
                new StrayInstancePlanRequest(Workflow.UtcNow, input.MaxRuntimeMinutes, input.MaxTerminations,
                    input.PagesPerRun)),
            ActivityPolicies.ShortAwsCall);
        var builders = plan.Phases?.ListsPackerBuilders == true
            && Workflow.Patched(WorkflowPatches.OrphanPackerBuilders);
        return StrayInstanceSweepContinuation.Start(plan) with { ListsPackerBuilders = builders };
    }

    private static string Phases(StrayInstancePhaseCounts counts) => string.Create(
        CultureInfo.InvariantCulture,
        $"max runtime {counts.MaxRuntime}, unmanaged profile {counts.UnmanagedProfile}, unclaimed {counts.Unclaimed}, "
            + $"completed {counts.Completed}, abandoned stopped {counts.AbandonedStopped}, packer builder "
            + $"{counts.PackerBuilder}");

    // Batches run one after another so EC2 sees a steady, small request rate. A batch whose
    // activity fails for good is reported and the others still run.
    // Each finished batch goes to reportOutcomes, so the progress view counts up as batches end.
    private static async Task<List<StrayInstanceReport>> TerminateAsync(
        IReadOnlyList<StrayInstanceCandidate> orphans, int batchSize,
            Action<IReadOnlyCollection<StrayInstanceReport>> reportOutcomes)
    {
        var reports = new List<StrayInstanceReport>();
        foreach (var batch in orphans.Chunk(Math.Max(1, batchSize)))
        {
            try
            {
                var result = await Workflow.ExecuteActivityAsync(
                    (StrayInstanceSweepActivities a) =>
                        a.TerminateStrayInstancesAsync(new StrayInstanceTerminateRequest(batch)),
                    ActivityPolicies.SweepPage);
                reports.AddRange(result.Outcomes);
            }
            catch (ActivityFailureException ex)
            {
                var cause = ex.InnerException?.Message ?? ex.Message;
                Workflow.Logger.LogError("Terminating a batch of {Count} orphans failed: {Cause}", batch.Length, cause);
                reports.AddRange(batch.Select(o => o.Report(StrayInstanceDecision.TerminateFailed,
                    "TerminateInstances failed: " + cause)));
            }

            reportOutcomes(reports);
        }

        return reports;
    }
}
