namespace RunsFleet.Contracts.Common;

/// <summary>Default Temporal task queue (RUNS_FLEET_TASK_QUEUE overrides it).</summary>
public static class TaskQueues
{
    public const string Default = "runs-fleet";
}
