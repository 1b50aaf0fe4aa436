using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.SqsBridge.Starting;

/// <summary>The start a housekeeping trigger asks for, defined once: the bridge (a housekeeping message)
/// and the operator CLI (<c>sweep run</c>) start a sweep with the same workflow id, type, input
/// and RunsFleetSweepType search attribute the sweep's Schedule uses, and join a running one.</summary>
public static class SweepStarts
{
    /// <summary>The workflow start of <paramref name="trigger"/>.</summary>
    public static WorkflowStartRequest For(HousekeepingTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SearchAttributeNames.SweepType] = SweepNames.TaskType(trigger.Kind),
        };
        return new WorkflowStartRequest(
            trigger.WorkflowType, SweepNames.WorkflowId(trigger.Kind), trigger.Input, attributes,
                StartMode.JoinRunning);
    }
}
