using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using Temporalio.Api.History.V1;

namespace RunsFleet.Tests.Cli.Sweeps;

/// <summary>Progress views, results and histories of orphan sweeps as the workflow would report them.</summary>
internal static class SweepSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public static SweepProgressView Progress(string phase, long examined, long actedOn, long? target, long protectedCount = 0, int pages = 1) =>
        new()
        {
            Sweep = "orphaned_instances", Phase = phase, DryRun = false, Runs = 1, PagesDone = pages,
            Examined = examined, ActedOn = actedOn, ActTarget = target, Errors = 0,
            SkippedByReason = new Dictionary<string, long> { ["protected"] = protectedCount, ["young"] = examined / 2 },
        };

    /// <summary>A clean run: 3 orphans found, 3 terminated.</summary>
    public static StrayInstanceSweepResult Clean() => Result(SweepAction.Act, orphans: 3, terminated: 3, "3 orphans terminated");

    /// <summary>More orphans than the cap of 2: none terminated.</summary>
    public static StrayInstanceSweepResult CapReached() => Result(SweepAction.CapReached, orphans: 5, terminated: 0, "5 orphans found, more than the cap of 2: none terminated", cap: 2);

    public static StrayInstanceSweepResult Result(SweepAction action, int orphans, int terminated, string summary, int cap = 50, StrayInstanceKeptCounts? kept = null) =>
        new()
        {
            DryRun = false, Now = Now, Cutoff = Now.AddHours(-6), MaxTerminations = cap, Action = action,
            Scanned = 1200, Young = 1100, Candidates = 100, OrphansFound = orphans, Terminated = terminated,
            Kept = kept ?? new StrayInstanceKeptCounts(ActiveJob: 90, Protected: 7), Instances = [],
            UnlistedInstances = 0, Pages = 3, Runs = 1, Summary = summary,
        };

    public static IReadOnlyCollection<HistoryEvent> Completed(string workflowId, object? result, DateTimeOffset? start = null) =>
        new HistoryBuilder(SweepNames.WorkflowType(SweepKind.StrayInstances), new StrayInstanceSweepInput(), workflowId, startTime: start ?? Now)
            .ActivityCompleted("PlanOrphanSweep", null)
            .WorkflowCompleted(result)
            .Build().Events;

    public static IReadOnlyCollection<HistoryEvent> Failed(string workflowId, string message, DateTimeOffset? start = null) =>
        new HistoryBuilder(SweepNames.WorkflowType(SweepKind.StrayInstances), new StrayInstanceSweepInput(), workflowId, startTime: start ?? Now)
            .WorkflowFailed(message, "AccessDenied", nonRetryable: true)
            .Build().Events;

    public static IReadOnlyCollection<HistoryEvent> Running(string workflowId, DateTimeOffset? start = null) =>
        new HistoryBuilder(SweepNames.WorkflowType(SweepKind.StrayInstances), new StrayInstanceSweepInput(), workflowId, startTime: start ?? Now).Build().Events;
}
