namespace RunsFleet.Workflows.Sweeps;

/// <summary>The housekeeping sweeps.</summary>
public enum SweepKind
{
    Orphans,
    StaleSsm,
    OldJobs,
    PoolAudit,
    OrphanedJobs,
}

/// <summary>
/// The Temporal workflow type names of the sweeps, defined once: the [Workflow] attributes,
/// <see cref="SweepNames"/> and the tests read them. Fixed: running histories and schedules
/// name these types, so they never change with the C# class names.
/// </summary>
internal static class SweepWorkflowTypes
{
    public const string OrphanSweep = "OrphanSweep";
    public const string StaleSsmSweep = "StaleSsmSweep";
    public const string OldJobArchival = "OldJobArchival";
    public const string PoolAudit = "PoolAudit";
    public const string OrphanedJobSweep = "OrphanedJobSweep";
}

/// <summary>Names tying a sweep to its message task_type, workflow type, ids and schedule.</summary>
public static class SweepNames
{
    /// <summary>Housekeeping message task_type of the sweep.</summary>
    public static string TaskType(SweepKind kind) => kind switch
    {
        SweepKind.Orphans => "orphaned_instances",
        SweepKind.StaleSsm => "stale_ssm",
        SweepKind.OldJobs => "old_jobs",
        SweepKind.PoolAudit => "pool_audit",
        SweepKind.OrphanedJobs => "orphaned_jobs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Temporal workflow type name of the sweep.</summary>
    public static string WorkflowType(SweepKind kind) => kind switch
    {
        SweepKind.Orphans => SweepWorkflowTypes.OrphanSweep,
        SweepKind.StaleSsm => SweepWorkflowTypes.StaleSsmSweep,
        SweepKind.OldJobs => SweepWorkflowTypes.OldJobArchival,
        SweepKind.PoolAudit => SweepWorkflowTypes.PoolAudit,
        SweepKind.OrphanedJobs => SweepWorkflowTypes.OrphanedJobSweep,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Workflow id of a triggered run (sweep-orphans, ...). One id per sweep means a
    /// second trigger while one runs is refused by Temporal and joins the running one.
    /// Schedules use the same id as their base; Temporal appends the scheduled time.
    /// </summary>
    public static string WorkflowId(SweepKind kind) => kind switch
    {
        SweepKind.Orphans => "sweep-orphans",
        SweepKind.StaleSsm => "sweep-stale-ssm",
        SweepKind.OldJobs => "sweep-old-jobs",
        SweepKind.PoolAudit => "sweep-pool-audit",
        SweepKind.OrphanedJobs => "sweep-orphaned-jobs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Schedule id of the sweep (runs-fleet-orphans, ...).</summary>
    public static string ScheduleId(SweepKind kind) => "runs-fleet-" + WorkflowId(kind)["sweep-".Length..];

    /// <summary>Parses a message task_type; false for an unknown one.</summary>
    public static bool TryParseTaskType(string? taskType, out SweepKind kind)
    {
        foreach (var candidate in Enum.GetValues<SweepKind>())
        {
            if (string.Equals(TaskType(candidate), taskType, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
