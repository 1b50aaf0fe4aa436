namespace RunsFleet.Workflows.Sweeps;

/// <summary>The housekeeping sweeps.</summary>
public enum SweepKind
{
    StrayInstances,
    StaleSsm,
    JobArchive,
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
        SweepKind.StrayInstances => "orphaned_instances",
        SweepKind.StaleSsm => "stale_ssm",
        SweepKind.JobArchive => "old_jobs",
        SweepKind.PoolAudit => "pool_audit",
        SweepKind.OrphanedJobs => "orphaned_jobs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Temporal workflow type name of the sweep.</summary>
    public static string WorkflowType(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances => SweepWorkflowTypes.OrphanSweep,
        SweepKind.StaleSsm => SweepWorkflowTypes.StaleSsmSweep,
        SweepKind.JobArchive => SweepWorkflowTypes.OldJobArchival,
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
        SweepKind.StrayInstances => "sweep-orphans",
        SweepKind.StaleSsm => "sweep-stale-ssm",
        SweepKind.JobArchive => "sweep-old-jobs",
        SweepKind.PoolAudit => "sweep-pool-audit",
        SweepKind.OrphanedJobs => "sweep-orphaned-jobs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Schedule id of the sweep (runs-fleet-orphans, ...).</summary>
    public static string ScheduleId(SweepKind kind) => "runs-fleet-" + WorkflowId(kind)["sweep-".Length..];

    /// <summary>
    /// runs-fleet's task types (pkg/housekeeping/runner.go:19-55) accepted for one of our sweeps
    /// besides its own name: stale_secrets is runs-fleet's stale SSM parameter task, and its Packer
    /// builder reaping (orphaned_packer_instances) is a phase of OrphanSweep here, so that name runs
    /// the whole OrphanSweep. orphaned_instances, old_jobs and orphaned_jobs are already ours.
    /// </summary>
    public static IReadOnlyDictionary<string, SweepKind> RunsFleetAliases { get; } =
        new Dictionary<string, SweepKind>(StringComparer.Ordinal)
    {
        ["stale_secrets"] = SweepKind.StaleSsm,
        ["orphaned_packer_instances"] = SweepKind.StrayInstances,
    };

    /// <summary>
    /// runs-fleet task types with no sweep here (runner.go:19-55): a message naming one is refused
    /// with that said, since the work stays with runs-fleet's own housekeeping.
    /// </summary>
    public static IReadOnlySet<string> RunsFleetOnlyTaskTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cost_report", "dlq_redrive", "ephemeral_pool_cleanup", "stale_jobs", "unconfirmed_runners", "pool_hot_tuner",
        "stale_ami_instances", "expired_instance_claims", "orphaned_runners", "fleet_cost_sample",
    };

    /// <summary>Parses a message task_type (ours or a runs-fleet alias); false for an unknown one.</summary>
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

        return RunsFleetAliases.TryGetValue(taskType ?? string.Empty, out kind);
    }
}
