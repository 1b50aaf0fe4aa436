namespace RunsFleet.SqsBridge.Starting;

/// <summary>What to start.</summary>
/// <param name="WorkflowType">Temporal workflow type name (e.g. "JobTermination").</param>
/// <param name="WorkflowId">Deterministic id: a redelivered message yields the same id.</param>
/// <param name="Input">The single workflow argument.</param>
/// <param name="SearchAttributes">Keyword search attributes by name (RunsFleetJobId, ...).</param>
/// <param name="Mode">How a duplicate id is treated.</param>
public sealed record WorkflowStartRequest(
    string WorkflowType,
    string WorkflowId,
    object Input,
    IReadOnlyDictionary<string, string> SearchAttributes,
    StartMode Mode);

/// <summary>How duplicates of a start are treated.</summary>
public enum StartMode
{
    /// <summary>One effect per id, ever (job termination): a running or completed run with the id
    /// makes the start a duplicate; only a failed/terminated run may be started again.</summary>
    OncePerId,

    /// <summary>At most one run at a time (sweeps): a running run of the workflow type, triggered
    /// or scheduled, is joined; once it has finished a new trigger starts a new run.</summary>
    JoinRunning,
}
