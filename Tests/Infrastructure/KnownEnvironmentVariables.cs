namespace RunsFleet.Tests.Infrastructure;

using Reader = RunsFleet.Tests.Infrastructure.ReadBy;

/// <summary>Which process reads a variable.</summary>
[Flags]
public enum ReadBy
{
    Worker = 1,
    Bridge = 2,
    Both = Worker | Bridge,
}

/// <summary>A configuration variable, who reads it, its default ("" = none/required) and whether it is a secret.</summary>
public sealed record KnownVariable(string Name, ReadBy ReadBy, string Default, bool Secret = false);

/// <summary>
/// The environment variables the Worker and the SqsBridge read (the shared brief's list). The CDK task
/// definitions, docker-compose.temporal.yml and docs/operator-guide.md are checked against it, and a test
/// fails when the compiled code contains a RUNS_FLEET_* name missing here: add it here, to
/// Infrastructure/Services/ContainerEnvironment.cs, to the compose file and to the guide's table together.
/// </summary>
public static class KnownEnvironmentVariables
{
    public static IReadOnlyList<KnownVariable> All { get; } =
    [
        new("TEMPORAL_ADDRESS", Reader.Both, "localhost:7233"),
        new("TEMPORAL_NAMESPACE", Reader.Both, "default"),
        new("TEMPORAL_API_KEY", Reader.Both, "", Secret: true),
        new("TEMPORAL_TLS", Reader.Both, "false (true when an API key is set)"),
        new("RUNS_FLEET_TASK_QUEUE", Reader.Both, "runs-fleet"),
        new("RUNS_FLEET_HEALTH_FILE", Reader.Both, "/tmp/runs-fleet.health"),
        new("RUNS_FLEET_TERMINATION_QUEUE_URL", Reader.Bridge, ""),
        new("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL", Reader.Bridge, ""),
        new("RUNS_FLEET_BRIDGE_MAX_CONCURRENCY", Reader.Bridge, "10"),
        new("RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS", Reader.Bridge, "30"),
        new("RUNS_FLEET_MAX_MESSAGE_BYTES", Reader.Bridge, "262144"),
        new("RUNS_FLEET_JOBS_TABLE", Reader.Worker, "runs-fleet-jobs"),
        new("RUNS_FLEET_POOLS_TABLE", Reader.Worker, "runs-fleet-pools"),
        new("RUNS_FLEET_RUNNER_PARAMETER_PREFIX", Reader.Worker, "/runs-fleet/runners"),
        new("RUNS_FLEET_ARCHIVE_BUCKET", Reader.Worker, ""),
        new("RUNS_FLEET_ARCHIVE_PREFIX", Reader.Worker, "job-archive/"),
        new("RUNS_FLEET_REPORT_BUCKET", Reader.Worker, ""),
        new("RUNS_FLEET_REPORT_PREFIX", Reader.Worker, "pool-reports/"),
        new("RUNS_FLEET_METRICS_NAMESPACE", Reader.Worker, "RunsFleet"),
    ];

    public static IReadOnlySet<string> Names { get; } = All.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Names a process reads, secrets included or not.</summary>
    public static SortedSet<string> ReadBy(ReadBy process, bool includeSecrets) => new(
        All.Where(v => v.ReadBy.HasFlag(process) && (includeSecrets || !v.Secret)).Select(v => v.Name),
        StringComparer.Ordinal);
}
