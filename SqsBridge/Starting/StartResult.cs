namespace RunsFleet.SqsBridge.Starting;

/// <summary>Outcome of a start. Every outcome means the message's work is in Temporal's hands.</summary>
public enum StartStatus
{
    /// <summary>A new run was started.</summary>
    Started,

    /// <summary>A run with this id is running or already completed (duplicate delivery).</summary>
    AlreadyStarted,

    /// <summary>A run of this sweep is already running (triggered or scheduled); it was joined.</summary>
    JoinedRunning,
}

/// <summary>Result of <see cref="IWorkflowStarter.StartAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="WorkflowId">Id of the started, existing or joined run.</param>
/// <param name="RunId">Its run id when known.</param>
public sealed record StartResult(StartStatus Status, string WorkflowId, string? RunId);
