namespace RunsFleet.Contracts.Sweeps;

/// <summary>The housekeeping sweeps, one root name each (see <see cref="SweepDefinition"/>).</summary>
public enum SweepKind
{
    StrayInstances,
    StaleSsm,
    JobArchive,
    PoolAudit,
    OrphanedJobs,
}

/// <summary>The Temporal workflow type names of the sweeps, defined once: the [Workflow] attributes,
/// <see cref="SweepDefinition"/> and the tests read them. Fixed: running histories and schedules
/// name these types, so they never change with the C# class names.</summary>
public static class SweepWorkflowTypes
{
    public const string OrphanSweep = "OrphanSweep";
    public const string StaleSsmSweep = "StaleSsmSweep";
    public const string OldJobArchival = "OldJobArchival";
    public const string PoolAudit = "PoolAudit";
    public const string OrphanedJobSweep = "OrphanedJobSweep";
}

/// <summary>Everything named after one sweep, derived from its root (<see cref="Kind"/>) where the name is ours and
/// listed here, once, where it is a fixed wire name recorded in deployed state.</summary>
/// <param name="Kind">The sweep; its name is the root of the C# folders and classes.</param>
/// <param name="CliName">The name an operator types (sweep run stray-instances); also the sweep's benchmark scenario
/// and the key of its active-job set in the worker's cache.</param>
/// <param name="Wording">What the progress line calls the items and what is done to them
/// ("orphans", "terminated").</param>
/// <param name="TaskType">Wire: the housekeeping message task_type (runs-fleet's name where it has one).</param>
/// <param name="WorkflowType">Wire: the Temporal workflow type (running histories and schedules name it).</param>
/// <param name="WorkflowId">Wire: the id of a triggered run; one id per sweep makes a second trigger join the running
/// one. The schedule id derives from it (runs-fleet-orphans, ...): deployed schedules, never renamed.</param>
/// <param name="Metric">Wire: the metric the sweep emits, kept for the dashboards and alarms that read it.</param>
/// <param name="LegacyNames">Names the sweep had before issue 14, still accepted on the command line and by the
/// benchmark.</param>
public sealed record SweepDefinition(
    SweepKind Kind,
    string CliName,
    (string Noun, string Verb) Wording,
    string TaskType,
    string WorkflowType,
    string WorkflowId,
    string? Metric,
    params string[] LegacyNames)
{
    /// <summary>Wire: the schedule id (runs-fleet-orphans, ...), the workflow id without its "sweep-" prefix.</summary>
    public string ScheduleId => "runs-fleet-" + WorkflowId["sweep-".Length..];

    /// <summary>Root of the sweep's environment variables, from its CLI name: STRAY_INSTANCES, JOB_ARCHIVE.</summary>
    public string VariableRoot => CliName.Replace('-', '_').ToUpperInvariant();

    /// <summary>The prefix of the sweep's settings: RUNS_FLEET_STRAY_INSTANCES_ (+ MAX_TERMINATIONS, ...).</summary>
    public string VariablePrefix => "RUNS_FLEET_" + VariableRoot + "_";

    /// <summary>The names an operator may type for the sweep: its CLI name, then the old ones.</summary>
    public IEnumerable<string> Names => [CliName, .. LegacyNames];

    /// <summary>The five sweeps, in <see cref="SweepKind"/> order.</summary>
    public static IReadOnlyList<SweepDefinition> All { get; } =
    [
        new(SweepKind.StrayInstances, "stray-instances", ("orphans", "terminated"), "orphaned_instances",
            SweepWorkflowTypes.OrphanSweep, "sweep-orphans", "OrphanedInstancesTerminated", "orphans"),
        new(SweepKind.StaleSsm, "stale-ssm", ("stale parameters", "deleted"), "stale_ssm",
            SweepWorkflowTypes.StaleSsmSweep, "sweep-stale-ssm", "SSMParametersDeleted"),
        new(SweepKind.JobArchive, "job-archive", ("old jobs", "archived"), "old_jobs",
            SweepWorkflowTypes.OldJobArchival, "sweep-old-jobs", "JobRecordsArchived", "old-jobs"),
        new(SweepKind.PoolAudit, "pool-audit", ("pools", "reported"), "pool_audit",
            SweepWorkflowTypes.PoolAudit, "sweep-pool-audit", null),
        new(SweepKind.OrphanedJobs, "orphaned-jobs", ("orphaned jobs", "marked"), "orphaned_jobs",
            SweepWorkflowTypes.OrphanedJobSweep, "sweep-orphaned-jobs", "OrphanedJobsMarked"),
    ];

    /// <summary>The definition of <paramref name="kind"/>.</summary>
    public static SweepDefinition Of(SweepKind kind) => All[(int)kind];
}

/// <summary>Names tying a sweep to its message task_type, workflow type, ids and schedule.</summary>
public static class SweepNames
{
    /// <summary>Housekeeping message task_type of the sweep.</summary>
    public static string TaskType(SweepKind kind) => SweepDefinition.Of(kind).TaskType;

    /// <summary>Temporal workflow type name of the sweep.</summary>
    public static string WorkflowType(SweepKind kind) => SweepDefinition.Of(kind).WorkflowType;

    /// <summary>Workflow id of a triggered run (sweep-orphans, ...); schedules use it as their base.</summary>
    public static string WorkflowId(SweepKind kind) => SweepDefinition.Of(kind).WorkflowId;

    /// <summary>Schedule id of the sweep (runs-fleet-orphans, ...).</summary>
    public static string ScheduleId(SweepKind kind) => SweepDefinition.Of(kind).ScheduleId;

    /// <summary>runs-fleet's task types (pkg/housekeeping/runner.go:19-55) accepted for one of our sweeps
    /// besides its own name: stale_secrets is runs-fleet's stale SSM parameter task, and its Packer
    /// builder reaping (orphaned_packer_instances) is a phase of the stray instance sweep here, so that
    /// name runs the whole sweep. orphaned_instances, old_jobs and orphaned_jobs are already ours.</summary>
    public static IReadOnlyDictionary<string, SweepKind> RunsFleetAliases { get; } =
        new Dictionary<string, SweepKind>(StringComparer.Ordinal)
    {
        ["stale_secrets"] = SweepKind.StaleSsm,
        ["orphaned_packer_instances"] = SweepKind.StrayInstances,
    };

    /// <summary>runs-fleet task types with no sweep here (runner.go:19-55): a message naming one is refused
    /// with that said, since the work stays with runs-fleet's own housekeeping.</summary>
    public static IReadOnlySet<string> RunsFleetOnlyTaskTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cost_report", "dlq_redrive", "ephemeral_pool_cleanup", "stale_jobs", "unconfirmed_runners", "pool_hot_tuner",
        "stale_ami_instances", "expired_instance_claims", "orphaned_runners", "fleet_cost_sample",
    };

    /// <summary>Parses a message task_type (ours or a runs-fleet alias); false for an unknown one.</summary>
    public static bool TryParseTaskType(string? taskType, out SweepKind kind)
    {
        foreach (var definition in SweepDefinition.All)
        {
            if (string.Equals(definition.TaskType, taskType, StringComparison.Ordinal))
            {
                kind = definition.Kind;
                return true;
            }
        }

        return RunsFleetAliases.TryGetValue(taskType ?? string.Empty, out kind);
    }
}
