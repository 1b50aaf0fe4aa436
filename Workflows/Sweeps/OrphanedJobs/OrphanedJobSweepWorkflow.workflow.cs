using System.Globalization;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;

namespace RunsFleet.Workflows.Sweeps.OrphanedJobs;

/// <summary>Retires job records no agent will ever finish: a job in one of runs-fleet's orphanable
/// statuses (launched, claiming, running, requeued; never terminating), older than runs-fleet's
/// 2 h threshold (a requeued one counted from its requeued_at), whose instance is gone or that
/// outlived max runtime + slack, becomes <c>orphaned</c> (completed_at set, pool removed), so
/// OldJobArchival archives it like any finished job. When EC2 knew none of the instances it
/// looked up (a wrong region or account), it marks nothing. It reads every non-terminal status partition of the
/// status index before writing anything, so the blast-radius cap is checked against the full
/// count and a failed read marks nothing; the scan continues as new every few pages. "Now" is
/// fixed at the first run.</summary>
[Workflow(SweepWorkflowTypes.OrphanedJobSweep)]
public sealed class OrphanedJobSweepWorkflow() : SweepWorkflow(SweepKind.OrphanedJobs)
{
    /// <summary>Largest max runtime a trigger may ask for (one week).</summary>
    public const int MaxRuntimeLimit = OrphanedJobSweepInput.MaxRuntimeLimit;

    /// <summary>Largest slack a trigger may ask for (one day).</summary>
    public const int MaxSlackMinutes = OrphanedJobSweepInput.MaxSlackMinutes;

    private static readonly OrphanedJobRules.ActionJson ActionJson = new();

    [WorkflowRun]
    public async Task<OrphanedJobSweepResult> RunAsync(OrphanedJobSweepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SweepPaging.RequireWithin(input.MaxRuntimeMinutes, MaxRuntimeLimit, "max_runtime_minutes");
        SweepPaging.RequireWithin(input.SlackMinutes, MaxSlackMinutes, "slack_minutes");
        SweepPaging.RequireWithin(input.MaxJobs, OrphanedJobSweepInput.MaxJobsLimit, "max_jobs");
        var continuation = SweepContinuation.Read<OrphanedJobSweepContinuation>(input.Continuation);
        if (continuation is null)
        {
            Report(SweepProgress.Planning(SweepKind.OrphanedJobs, input.DryRun));
        }

        var progress = continuation is { } continued
            ? continued with { Runs = continued.Runs + 1 }
            : OrphanedJobSweepContinuation.Start(await Workflow.ExecuteActivityAsync(
                (OrphanedJobSweepActivities a) => a.PlanOrphanedJobSweepAsync(
                    new OrphanedJobPlanRequest(Workflow.UtcNow, input.MaxRuntimeMinutes, input.SlackMinutes,
                        input.MaxJobs)),
                ActivityPolicies.ShortAwsCall));
        var plan = progress.Plan;

        progress = await SweepPaging.ReadAllPagesAsync(
            progress,
            new SweepRunBudget(plan.PagesPerRun, FollowsServerSuggestion: true),
            p => p.ScanDone,
            async p =>
            {
                var request = new OrphanedJobScanRequest(
                    p.Status, p.Cursor, plan.PageSize, plan.CreatedBefore, plan.RuntimeCutoff, p.CandidateSlots)
                {
                    ThresholdCutoff = plan.ThresholdCutoff,
                };
                return p.Add(await Workflow.ExecuteActivityAsync(
                    (OrphanedJobSweepActivities a) => a.ScanOrphanedJobPageAsync(request), ActivityPolicies.SweepPage));
            },
            p => input with { Continuation = SweepContinuation.Write(p) },
            p => Report(p.ToView(input.DryRun)));

        var action = Decide(progress, plan.MaxJobs, input.DryRun);
        var scanned = progress;
        void ReportActing(IReadOnlyCollection<OrphanedJobReport> outcomes) =>
            Report(scanned.ToView(input.DryRun, action, outcomes));
        ReportActing([]);
        var (reports, parametersDeleted, parametersAlreadyGone) = action switch
        {
            SweepAction.Nothing => ([], 0, 0),
            SweepAction.Act => await MarkAsync(progress.Candidates, plan.MarkBatchSize, ReportActing),
            SweepAction.DryRun => (Reported(progress.Candidates, OrphanedJobDecision.DryRun, c =>
                "dry run, would mark orphaned: " + c.Reason), 0, 0),
            SweepAction.InstancesUnknown => (
                Reported(progress.Candidates, OrphanedJobDecision.InstancesUnknown, _ => UnknownReason(progress)), 0,
                    0),
            _ => (Reported(
                progress.Candidates,
                OrphanedJobDecision.CapReached,
                _ => string.Create(CultureInfo.InvariantCulture,
                    $"{progress.OrphanCount} orphaned jobs exceed the cap of {plan.MaxJobs}: none marked")), 0, 0),
        };
        int Count(OrphanedJobDecision decision) => reports.Count(r => r.Decision == decision);
        var marked = Count(OrphanedJobDecision.Marked);

        var summary = Summary(input.DryRun, plan, progress, action, reports, parametersDeleted);
        Workflow.Logger.LogInformation("OrphanedJobSweep: {Summary}", summary);
        Report(SweepPhases.Done);

        return new OrphanedJobSweepResult
        {
            DryRun = input.DryRun, Now = plan.Now, RuntimeCutoff = plan.RuntimeCutoff, MaxJobs = plan.MaxJobs,
            Action = action, Statuses = plan.Statuses, JobsRead = progress.JobsRead,
            InstancesChecked = progress.InstancesChecked, OrphanedJobs = progress.OrphanCount,
            InstanceGone = progress.InstanceGone, OverAge = progress.OverAge, Marked = marked,
            LeftAlone = Count(OrphanedJobDecision.LeftAlone), MarkFailed = Count(OrphanedJobDecision.MarkFailed),
            ParametersDeleted = parametersDeleted, ParametersAlreadyGone = parametersAlreadyGone,
            KeptActive = progress.KeptActive, KeptUnreadable = progress.KeptUnreadable, Jobs = reports,
            Pages = progress.Pages, Runs = progress.Runs, Summary = summary,
            InstancesKnown = progress.InstancesKnown, KeptYoung = progress.KeptYoung,
        };
    }

    // Runs that scanned before the unknown-instance rule keep marking as they did, so their
    // histories replay; every later run refuses. Pages carried over from before the rule count
    // no known instance, so such a run errs towards marking nothing this time.
    private static SweepAction Decide(OrphanedJobSweepContinuation progress, int maxJobs, bool dryRun)
    {
        var action = OrphanedJobRules.Act(
            progress.OrphanCount, maxJobs, dryRun, progress.InstancesChecked, progress.InstancesKnown);
        return action == SweepAction.InstancesUnknown
            && !Workflow.Patched(WorkflowPatches.OrphanedJobsUnknownInstances)
            ? SweepBlastRadius.Decide(progress.OrphanCount, maxJobs, dryRun)
            : action;
    }

    private static string Summary(
        bool dryRun, OrphanedJobSweepPlan plan, OrphanedJobSweepContinuation scan, SweepAction action,
        List<OrphanedJobReport> reports, int parametersDeleted)
    {
        int Count(OrphanedJobDecision decision) => reports.Count(r => r.Decision == decision);
        var why = action == SweepAction.InstancesUnknown ? ": " + UnknownReason(scan) : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(dryRun ? "Dry run: " : string.Empty)}read {scan.JobsRead} jobs ({string.Join(",", plan.Statuses)}) "
            + $"in {scan.Pages} pages, {scan.OrphanCount} orphaned "
            + $"({scan.InstanceGone} instance gone, {scan.OverAge} over age), "
            + $"{scan.KeptYoung} young, {Count(OrphanedJobDecision.Marked)} marked ({ActionJson.Name(action)}{why}), "
            + $"{Count(OrphanedJobDecision.LeftAlone)} changed meanwhile, "
            + $"{Count(OrphanedJobDecision.MarkFailed)} failed; "
            + $"runner parameters {parametersDeleted} deleted");
    }

    private static string UnknownReason(OrphanedJobSweepContinuation progress) =>
        string.Create(CultureInfo.InvariantCulture,
            $"EC2 knew none of the {progress.InstancesChecked} instances looked up")
        + " (wrong region or account?): none marked";

    private static List<OrphanedJobReport> Reported(
        IReadOnlyList<OrphanedJobCandidate> jobs, OrphanedJobDecision decision, Func<OrphanedJobCandidate,
            string> reason) =>
        [.. jobs.Select(j => new OrphanedJobReport(j.JobId, j.InstanceId, j.Status, j.Cause, decision, reason(j)))];

    // Batches run one after another. A batch whose activity fails for good is reported and the
    // others still run; its jobs stay non-terminal and the next sweep finds them again. Each
    // finished batch goes to reportOutcomes, so the progress view counts up as batches end.
    private static async Task<(List<OrphanedJobReport> Reports, int Deleted, int AlreadyGone)> MarkAsync(
        IReadOnlyList<OrphanedJobCandidate> jobs, int batchSize,
            Action<IReadOnlyCollection<OrphanedJobReport>> reportOutcomes)
    {
        var reports = new List<OrphanedJobReport>();
        int deleted = 0, alreadyGone = 0;
        foreach (var batch in jobs.Chunk(Math.Max(1, batchSize)))
        {
            try
            {
                var result = await Workflow.ExecuteActivityAsync(
                    (OrphanedJobSweepActivities a) => a.MarkOrphanedJobsAsync(new OrphanedJobMarkRequest(batch)),
                    ActivityPolicies.SweepPage);
                reports.AddRange(result.Outcomes);
                deleted += result.ParametersDeleted;
                alreadyGone += result.ParametersAlreadyGone;
            }
            catch (ActivityFailureException ex) when (!TemporalException.IsCanceledException(ex))
            {
                var cause = ex.InnerException?.Message ?? ex.Message;
                Workflow.Logger.LogError("Marking a batch of {Count} orphaned jobs failed: {Cause}", batch.Length,
                    cause);
                reports.AddRange(Reported(batch, OrphanedJobDecision.MarkFailed, _ => "marking failed: " + cause));
            }

            reportOutcomes(reports);
        }

        return (reports, deleted, alreadyGone);
    }
}
