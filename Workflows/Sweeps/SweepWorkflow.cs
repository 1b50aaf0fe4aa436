using RunsFleet.Contracts.Sweeps;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Sweeps;

/// <summary>What every sweep workflow has: its progress view, the answer to the "progress" query, mirrored into
/// Temporal's current details on every change. Neither adds a command to the history, so reporting changes
/// nothing a replay checks. Workflow code only.</summary>
public abstract class SweepWorkflow
{
    private protected SweepWorkflow(SweepKind kind) => Progress = SweepProgress.Planning(kind, dryRun: false);

    /// <summary>Where the sweep is, cumulative across continue-as-new (planning until the run reports).</summary>
    [WorkflowQuery(SweepProgressView.QueryName)]
    public SweepProgressView Progress { get; private set; }

    /// <summary>Makes <paramref name="view"/> the answer to the query and the UI's current details.</summary>
    private protected void Report(SweepProgressView view)
    {
        Progress = view;
        Workflow.CurrentDetails = SweepProgress.Details(view);
    }

    /// <summary>The latest view with <paramref name="phase"/> (e.g. publishing, done).</summary>
    private protected void Report(string phase) => Report(Progress with { Phase = phase });
}
