using Temporalio.Activities;

namespace RunsFleet.Activities.Common;

/// <summary>The running activity's context where there is one. Activities are also called as plain
/// methods (unit tests, the live rehearsal): there is no context then, so nothing cancels,
/// heartbeats go nowhere and the call counts as the first attempt.</summary>
internal static class CurrentActivity
{
    /// <summary>The activity's cancellation token; <see cref="CancellationToken.None"/> outside one.</summary>
    public static CancellationToken CancellationToken =>
        ActivityExecutionContext.HasCurrent
            ? ActivityExecutionContext.Current.CancellationToken
            : CancellationToken.None;

    /// <summary>The attempt number Temporal gives the activity (from 1); 1 outside one.</summary>
    public static int Attempt =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.Info.Attempt : 1;

    /// <summary>The id of the workflow that scheduled the activity; null outside one.</summary>
    public static string? WorkflowId =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.Info.WorkflowId : null;

    /// <summary>A callback that heartbeats the running activity; null outside one.</summary>
    public static Action? HeartbeatCallback => ActivityExecutionContext.HasCurrent ? static () => Heartbeat() : null;

    /// <summary>Heartbeats the running activity with <paramref name="details"/>; nothing outside one.</summary>
    public static void Heartbeat(params object?[] details)
    {
        if (ActivityExecutionContext.HasCurrent)
        {
            ActivityExecutionContext.Current.Heartbeat(details);
        }
    }
}
