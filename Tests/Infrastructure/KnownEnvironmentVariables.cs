using Reader = RunsFleet.Tests.Infrastructure.ReadBy;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>Which process reads a variable.</summary>
[Flags]
public enum ReadBy
{
    Worker = 1,
    Bridge = 2,
    Both = Worker | Bridge,
}

/// <summary>How a deployment provides a variable.</summary>
public enum Provision
{
    /// <summary>Every deployment (CDK task definition, docker-compose) sets it explicitly.</summary>
    Set,

    /// <summary>Injected from a secret store by ECS; never a plain value.</summary>
    Secret,

    /// <summary>An optional override; unset means the built-in behaviour.</summary>
    Optional,

    /// <summary>Read only by the Worker's embedded dev mode.</summary>
    DevOnly,

    /// <summary>
    /// Set by the CDK task definition only when its context setting is given (runsFleet:runnerInstanceProfileArn,
    /// runsFleet:jobQueueUrl, which also bring the IAM grant the variable's behaviour needs); unset otherwise, and
    /// in docker-compose.
    /// </summary>
    CdkSettingOnly,

    /// <summary>
    /// Set by the CDK task definitions because the task has what it points at (the OTLP collector
    /// sidecar); docker-compose has no collector and leaves it unset (the code's default: off).
    /// </summary>
    CdkOnly,

    /// <summary>
    /// Set by docker-compose, which runs no collector (the Prometheus endpoint is what it offers instead);
    /// unset in the CDK task definitions, whose collector sidecar carries the metrics.
    /// </summary>
    ComposeOnly,
}

/// <summary>A configuration variable, who reads it, its default ("" = none/required) and how deployments provide it.</summary>
public sealed record KnownVariable(string Name, ReadBy ReadBy, string Default, Provision Provision = Provision.Set);

/// <summary>
/// The environment variables the Worker and the SqsBridge read (the shared brief's list, plus the Worker's
/// tuning and schedule overrides). The CDK task definitions, docker-compose.temporal.yml and
/// docs/operator-guide.md are checked against it, and a test fails when the compiled code contains a
/// RUNS_FLEET_* name missing here: add it here, to Infrastructure/Services/ContainerEnvironment.cs, to the
/// compose file and to the guide's table together.
/// </summary>
public static class KnownEnvironmentVariables
{
    public static IReadOnlyList<KnownVariable> All { get; } =
    [
        new("TEMPORAL_ADDRESS", Reader.Both, "localhost:7233"),
        new("TEMPORAL_NAMESPACE", Reader.Both, "default"),
        new("TEMPORAL_API_KEY", Reader.Both, "", Provision.Secret),
        new("TEMPORAL_TLS", Reader.Both, "", Provision.Optional),
        new("RUNS_FLEET_TASK_QUEUE", Reader.Both, "runs-fleet"),
        new("RUNS_FLEET_HEALTH_FILE", Reader.Both, "/tmp/runs-fleet.health"),
        new("RUNS_FLEET_METRICS_NAMESPACE", Reader.Worker, "RunsFleet"),
        new("RUNS_FLEET_PROMETHEUS_BIND", Reader.Both, "", Provision.ComposeOnly),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", Reader.Both, "", Provision.CdkOnly),
        new("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", Reader.Both, "", Provision.CdkOnly),
        new("RUNS_FLEET_TERMINATION_QUEUE_URL", Reader.Bridge, ""),
        new("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL", Reader.Bridge, ""),
        new("RUNS_FLEET_BRIDGE_MAX_CONCURRENCY", Reader.Bridge, "500"),
        new("RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS", Reader.Bridge, "25"),
        new("RUNS_FLEET_MAX_MESSAGE_BYTES", Reader.Bridge, "65536"),
        new("RUNS_FLEET_JOBS_TABLE", Reader.Worker, "runs-fleet-jobs"),
        new("RUNS_FLEET_JOBS_INSTANCE_ID_GSI", Reader.Worker, "instance-id-index"),
        new("RUNS_FLEET_JOBS_COMPLETED_AT_GSI", Reader.Worker, "completed_at-index"),
        new("RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI", Reader.Worker, "status-created_at-index"),
        new("RUNS_FLEET_POOLS_TABLE", Reader.Worker, "runs-fleet-pools"),
        new("RUNS_FLEET_RUNNER_PARAMETER_PREFIX", Reader.Worker, "/runs-fleet/runners"),
        new("RUNS_FLEET_QUEUE_URL", Reader.Worker, "", Provision.CdkSettingOnly),
        new("RUNS_FLEET_JOB_ARCHIVE_BUCKET", Reader.Worker, ""),
        new("RUNS_FLEET_JOB_ARCHIVE_PREFIX", Reader.Worker, "runs-fleet/jobs-archive"),
        new("RUNS_FLEET_REPORT_BUCKET", Reader.Worker, ""),
        new("RUNS_FLEET_REPORT_PREFIX", Reader.Worker, "pool-audit/"),
        new("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", Reader.Worker, "100"),
        new("RUNS_FLEET_SHUTDOWN_SECONDS", Reader.Worker, "30"),
        new("RUNS_FLEET_APPLY_SCHEDULES", Reader.Worker, "true"),
        new("RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES", Reader.Worker, "60"),
        new("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_STALE_SSM_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_STALE_SSM_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_POOL_AUDIT_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_POOL_AUDIT_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_ORPHANED_JOBS_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_ORPHANED_JOBS_PAUSED", Reader.Worker, "", Provision.Optional),
        // Sweep tuning: optional overrides of the options classes' defaults (bound in WorkerRegistration).
        new("RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES", Reader.Worker, "360", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_BUFFER_MINUTES", Reader.Worker, "10", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS", Reader.Worker, "50", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE", Reader.Worker, "50", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_PAGES_PER_RUN", Reader.Worker, "10", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE", Reader.Worker, "", Provision.CdkSettingOnly),
        new("RUNS_FLEET_STRAY_INSTANCES_PROFILE_ENABLED", Reader.Worker, "true", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_PROFILE_GRACE_MINUTES", Reader.Worker, "15", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_ENABLED", Reader.Worker, "true", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_GRACE_MINUTES", Reader.Worker, "30", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_COMPLETED_ENABLED", Reader.Worker, "true", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_COMPLETED_GRACE_MINUTES", Reader.Worker, "15", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED", Reader.Worker, "false", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_STOPPED_GRACE_HOURS", Reader.Worker, "24", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_PACKER_ENABLED", Reader.Worker, "true", Provision.Optional),
        new("RUNS_FLEET_STRAY_INSTANCES_PACKER_GRACE_MINUTES", Reader.Worker, "60", Provision.Optional),
        new("RUNS_FLEET_STALE_SSM_GRACE_MINUTES", Reader.Worker, "10", Provision.Optional),
        new("RUNS_FLEET_STALE_SSM_PAGES_PER_RUN", Reader.Worker, "100", Provision.Optional),
        new("RUNS_FLEET_JOB_ARCHIVE_RETENTION_DAYS", Reader.Worker, "7", Provision.Optional),
        new("RUNS_FLEET_JOB_ARCHIVE_PAGE_SIZE", Reader.Worker, "500", Provision.Optional),
        new("RUNS_FLEET_JOB_ARCHIVE_PAGES_PER_RUN", Reader.Worker, "50", Provision.Optional),
        new("RUNS_FLEET_JOB_ARCHIVE_DELETE_MAX_ATTEMPTS", Reader.Worker, "8", Provision.Optional),
        new("RUNS_FLEET_POOL_AUDIT_PRICES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_POOL_AUDIT_EBS_GB_MONTH_PRICE", Reader.Worker, "0.1", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES", Reader.Worker, "360", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_SLACK_MINUTES", Reader.Worker, "30", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_GRACE_MINUTES", Reader.Worker, "10", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_THRESHOLD_MINUTES", Reader.Worker, "120", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS", Reader.Worker, "100", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_STATUSES", Reader.Worker, "launched,claiming,running,requeued", Provision.Optional),
        new("RUNS_FLEET_ORPHANED_JOBS_PAGES_PER_RUN", Reader.Worker, "50", Provision.Optional),
        // Our own names before issue 14, still read as aliases of the sweep settings above (WasNamed).
        new("RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_BUFFER_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_MAX_TERMINATIONS", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_TERMINATE_BATCH_SIZE", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_PAGES_PER_RUN", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_RUNNER_INSTANCE_PROFILE", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_PROFILE_ENABLED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_PROFILE_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_UNCLAIMED_ENABLED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_UNCLAIMED_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_COMPLETED_ENABLED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_COMPLETED_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_STOPPED_ENABLED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_STOPPED_GRACE_HOURS", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_PACKER_ENABLED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ORPHAN_PACKER_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ARCHIVE_BUCKET", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ARCHIVE_PREFIX", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ARCHIVAL_PAGE_SIZE", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ARCHIVAL_PAGES_PER_RUN", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_ARCHIVAL_DELETE_MAX_ATTEMPTS", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_ORPHANS_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_ORPHANS_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_OLD_JOBS_SPEC", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SCHEDULE_OLD_JOBS_PAUSED", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_JOB_RETENTION_DAYS", Reader.Worker, "", Provision.Optional),
        // runs-fleet's own names (pkg/config/config.go), read as aliases of the settings above (Worker/Configuration/RunsFleetVariables.cs).
        new("RUNS_FLEET_MAX_RUNTIME_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_INSTANCE_PROFILE_ARN", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_SECRETS_PATH_PREFIX", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_UNCLAIMED_INSTANCE_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_COMPLETED_INSTANCE_GRACE_MINUTES", Reader.Worker, "", Provision.Optional),
        new("RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS", Reader.Worker, "", Provision.Optional),
        new("TEMPORAL_CLI_PATH", Reader.Worker, "", Provision.DevOnly),
        new("RUNS_FLEET_DEV_PORT", Reader.Worker, "7233", Provision.DevOnly),
        new("RUNS_FLEET_DEV_UI_PORT", Reader.Worker, "8233", Provision.DevOnly),
    ];

    public static IReadOnlySet<string> Names { get; } = All.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Names a process reads that docker-compose sets explicitly.</summary>
    public static SortedSet<string> SetFor(ReadBy process) => new(
        All.Where(v => v.ReadBy.HasFlag(process) && v.Provision is Provision.Set or Provision.ComposeOnly).Select(v => v.Name),
        StringComparer.Ordinal);

    /// <summary>Names the CDK task definition of a process always sets: every deployment's, and its own.</summary>
    public static SortedSet<string> SetByCdkFor(ReadBy process) => new(
        All.Where(v => v.ReadBy.HasFlag(process) && v.Provision is Provision.Set or Provision.CdkOnly).Select(v => v.Name),
        StringComparer.Ordinal);

    /// <summary>Names a process reads that the CDK app sets only when their context setting is given.</summary>
    public static SortedSet<string> SetByCdkSettingFor(ReadBy process) => new(
        All.Where(v => v.ReadBy.HasFlag(process) && v.Provision == Provision.CdkSettingOnly).Select(v => v.Name),
        StringComparer.Ordinal);
}
