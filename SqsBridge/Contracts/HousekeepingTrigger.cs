using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>A validated housekeeping message: which sweep to run, with what input.</summary>
/// <param name="Kind">The sweep.</param>
/// <param name="Input">The sweep's input record (<see cref="StrayInstanceSweepInput"/>, <see
/// cref="StaleSsmSweepInput"/>, <see cref="JobArchiveInput"/> or <see cref="PoolAuditInput"/>).</param>
/// <param name="Timestamp">When the sender asked for the sweep, if it said.</param>
public sealed record HousekeepingTrigger(SweepKind Kind, object Input, DateTimeOffset? Timestamp)
{
    /// <summary>Temporal workflow type of the sweep.</summary>
    public string WorkflowType => SweepNames.WorkflowType(Kind);
}
