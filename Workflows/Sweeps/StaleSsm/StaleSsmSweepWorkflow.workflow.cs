using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Common;
using Temporalio.Workflows;
using RunsFleet.Contracts.Sweeps.StaleSsm;

namespace RunsFleet.Workflows.Sweeps.StaleSsm;

/// <summary>Deletes the SSM parameters of runner instances that no longer exist. Each page of the
/// listing is one activity (list, look up instances, delete); after a bounded number of
/// pages the run continues as new with the listing token, so the history stays small
/// whatever the fleet size. The sweep's "now" is fixed at the first run.</summary>
[Workflow(SweepWorkflowTypes.StaleSsmSweep)]
public class StaleSsmSweepWorkflow() : SweepWorkflow(SweepKind.StaleSsm)
{
    /// <summary>Largest grace period a trigger may ask for (one week).</summary>
    public const int MaxGraceMinutes = StaleSsmSweepInput.MaxGraceMinutes;

    [WorkflowRun]
    public async Task<StaleSsmSweepResult> RunAsync(StaleSsmSweepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SweepPaging.RequireWithin(input.GraceMinutes, MaxGraceMinutes, "grace_minutes");

        var state = SweepContinuation.Read<StaleSsmSweepContinuation>(input.Continuation) is { } continuation
            ? continuation with { Totals = continuation.Totals with { Runs = continuation.Totals.Runs + 1 } }
            : await StartAsync(input);

        // Done once a page was read and the listing has no next token. The server may also
        // suggest continuing earlier (history size); either way only between pages.
        var totals = (await SweepPaging.ReadAllPagesAsync(
            state,
            new SweepRunBudget(state.Settings.PagesPerRun, FollowsServerSuggestion: true),
            s => s.Totals.Pages > 0 && s.NextToken is null,
            s => SweepPageAsync(input, s),
            s => input with { Continuation = SweepContinuation.Write(s) },
            s => Report(s.Totals.ToView()))).Totals;

        Workflow.Logger.LogInformation(
            "Stale SSM sweep done: {Stale} stale of {Listed}, {Deleted} deleted, dry run {DryRun}",
            totals.StaleParameters,
            totals.ParametersListed,
            totals.ParametersDeleted,
            totals.DryRun);
        Report(SweepPhases.Done);
        return totals;
    }

    // One batch of the listing: list, look up instances, delete; the next state carries the listing's token.
    private static async Task<StaleSsmSweepContinuation> SweepPageAsync(StaleSsmSweepInput input,
        StaleSsmSweepContinuation state)
    {
        var settings = state.Settings;
        var request = new StaleSsmSweepPageRequest
        {
            ParameterPrefix = settings.ParameterPrefix,
            PageSize = settings.PageSize,
            NextToken = state.NextToken,
            Now = state.Totals.Now,
            GraceMinutes = settings.GraceMinutes,
            DryRun = input.DryRun,
        };
        var page = await Workflow.ExecuteActivityAsync(
            (StaleSsmSweepActivities a) => a.SweepStaleParameterPageAsync(request),
            ActivityPolicies.SweepPage);
        return state with { Totals = state.Totals.Add(page), NextToken = page.NextToken };
    }

    private async Task<StaleSsmSweepContinuation> StartAsync(StaleSsmSweepInput input)
    {
        // The trigger time, before anything else runs: every page judges age against it.
        var now = Workflow.UtcNow;
        Report(SweepProgress.Planning(SweepKind.StaleSsm, input.DryRun));
        var settings = await Workflow.ExecuteActivityAsync(
            (StaleSsmSweepActivities a) => a.PlanStaleSsmSweepAsync(input.GraceMinutes),
            ActivityPolicies.ShortAwsCall);
        return new StaleSsmSweepContinuation
        {
            Settings = settings,
            Totals = new StaleSsmSweepResult
            {
                DryRun = input.DryRun,
                ParameterPrefix = settings.ParameterPrefix,
                GraceMinutes = settings.GraceMinutes,
                Now = now,
            },
        };
    }
}
