namespace RunsFleet.SqsBridge.Starting;

/// <summary>The one thing the bridge needs from Temporal: start a workflow (idempotently, by id)
/// and tell whether Temporal can be reached. Narrow so tests can record starts.</summary>
public interface IWorkflowStarter
{
    /// <summary>Starts the workflow. A duplicate (same id running or already completed) is a
    /// result, not an error. Throws when Temporal cannot be reached or refuses the start
    /// for another reason: the bridge then keeps the message and backs off.</summary>
    Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken);

    /// <summary>True when Temporal answers; never throws.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
