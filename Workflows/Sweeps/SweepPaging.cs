using RunsFleet.Activities.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Sweeps;

/// <summary>How many pages one workflow run of a sweep may read before it continues as new. A run
/// always reads at least one page (the settings require at least one page per run), so a
/// sweep makes progress even when the server suggests continuing at once.</summary>
/// <param name="PagesPerRun">The budget of pages per run (at least 1).</param>
/// <param name="FollowsServerSuggestion">
/// Whether the run also continues as new when Temporal suggests it (history size). Fixed per
/// sweep: running histories were recorded with or without it, so it cannot change for a sweep.
/// </param>
internal readonly record struct SweepRunBudget(int PagesPerRun, bool FollowsServerSuggestion)
{
    /// <summary>True when a run that has read <paramref name="pagesThisRun"/> pages must continue as new.</summary>
    public bool IsSpent(int pagesThisRun) =>
        pagesThisRun > 0
        && (pagesThisRun >= PagesPerRun || (FollowsServerSuggestion && Workflow.ContinueAsNewSuggested));
}

/// <summary>The page loop every sweep runs: read one page per step until the scan is done; when the
/// run's budget is spent, continue as new with the state so far, so the history stays small
/// whatever the fleet size. Deterministic: it does no I/O and reads only Workflow.*; the
/// caller's page step runs the activities, so each sweep's commands are its own.</summary>
internal static class SweepPaging
{
    /// <summary>Runs <paramref name="readPageAsync"/> until <paramref name="isDone"/>, starting from
    /// <paramref name="state"/>; when <paramref name="budget"/> is spent, continues the running workflow
    /// as new with the input <paramref name="nextInput"/> builds from the state. Returns the final state.
    /// Hands the state to <paramref name="report"/> before the first page and after every page, so a sweep's
    /// progress query and current details follow the scan.</summary>
    public static async Task<TState> ReadAllPagesAsync<TState>(
        TState state,
        SweepRunBudget budget,
        Func<TState, bool> isDone,
        Func<TState, Task<TState>> readPageAsync,
        Func<TState, object> nextInput,
        Action<TState> report)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentNullException.ThrowIfNull(readPageAsync);
        ArgumentNullException.ThrowIfNull(nextInput);
        ArgumentNullException.ThrowIfNull(report);
        report(state);
        for (var pagesThisRun = 0; !isDone(state); pagesThisRun++)
        {
            if (budget.IsSpent(pagesThisRun))
            {
                // The same command as CreateContinueAsNewException((TWorkflow wf) => wf.RunAsync(next)): the SDK
                // turns that lambda into the workflow's type name and its argument.
                throw Workflow.CreateContinueAsNewException(Workflow.Info.WorkflowType, [nextInput(state)]);
            }

            state = await readPageAsync(state);
            report(state);
        }

        return state;
    }

    /// <summary>Fails the sweep (non-retryable, <see cref="FailureTypes.InvalidInput"/>)
    /// when a trigger's <paramref name="value"/> lies outside 1..<paramref name="max"/>; null
    /// (the configured default) passes.</summary>
    public static void RequireWithin(int? value, int max, string parameter)
    {
        if (value < 1 || value > max)
        {
            throw new ApplicationFailureException(
                $"{parameter} must be between 1 and {max}, got {value}",
                errorType: FailureTypes.InvalidInput,
                nonRetryable: true);
        }
    }
}
