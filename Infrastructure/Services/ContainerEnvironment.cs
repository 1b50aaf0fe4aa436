namespace RunsFleet.Infrastructure.Services;

/// <summary>The environment each container gets: every variable its process reads (defaults written out,
/// so the task definition documents the running configuration). Secrets are not here: the
/// Temporal API key is injected by ECS from Secrets Manager (see <see cref="FleetServices"/>).</summary>
internal static class ContainerEnvironment
{
    /// <summary>File the Worker and the Bridge touch every 10 s while healthy.</summary>
    public const string HealthFile = "/tmp/runs-fleet.health";

    /// <summary>CloudWatch namespace of the worker's EMF metric lines and of the bridge's metrics the collector
    /// writes (the bridge alarms watch it).</summary>
    public const string MetricsNamespace = "RunsFleet";

    /// <summary>Variables read by both processes (Temporal connection, task queue, health file, metrics).</summary>
    public static Dictionary<string, string> Common(RunsFleetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TEMPORAL_ADDRESS"] = settings.TemporalAddress,
            ["TEMPORAL_NAMESPACE"] = settings.TemporalNamespace,
            ["RUNS_FLEET_TASK_QUEUE"] = settings.TaskQueue,
            ["RUNS_FLEET_HEALTH_FILE"] = HealthFile,
            // The Temporal SDK's metrics (and the bridge's) go to the task's collector sidecar over OTLP/gRPC,
            // as deltas: the collector's EMF exporter writes what it gets, and a minute's histogram must
            // hold that minute's values only.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtelCollectorSidecar.Endpoint,
            ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = "delta",
        };
        if (settings.TemporalTls)
        {
            env["TEMPORAL_TLS"] = "true";
        }

        return env;
    }

    /// <summary>The Worker: tables and their indexes, runner parameters, archive/report location, metrics namespace,
    /// runner profile if given.</summary>
    public static Dictionary<string, string> Worker(RunsFleetSettings settings, string archiveBucketName)
    {
        var env = Common(settings);
        env["RUNS_FLEET_METRICS_NAMESPACE"] = MetricsNamespace;
        env["RUNS_FLEET_JOBS_TABLE"] = settings.JobsTableName;
        // The indexes the stack created or adopted, under the names it granted Query on.
        env["RUNS_FLEET_JOBS_INSTANCE_ID_GSI"] = settings.JobsIndexes.InstanceIdIndex;
        env["RUNS_FLEET_JOBS_COMPLETED_AT_GSI"] = settings.JobsIndexes.CompletedAtIndex;
        env["RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"] = settings.JobsIndexes.ActiveJobsIndex;
        env["RUNS_FLEET_POOLS_TABLE"] = settings.PoolsTableName;
        env["RUNS_FLEET_RUNNER_PARAMETER_PREFIX"] = settings.RunnerParameterPrefix;
        env["RUNS_FLEET_JOB_ARCHIVE_BUCKET"] = archiveBucketName;
        env["RUNS_FLEET_JOB_ARCHIVE_PREFIX"] = settings.ArchivePrefix;
        env["RUNS_FLEET_REPORT_BUCKET"] = archiveBucketName;
        env["RUNS_FLEET_REPORT_PREFIX"] = settings.ReportPrefix;
        env["RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES"] = "100";
        // Below the container stop timeout (WorkerStopTimeoutSeconds = 120) so in-flight activities finish first.
        env["RUNS_FLEET_SHUTDOWN_SECONDS"] = "100";
        // The worker creates/updates the sweep schedules at start; RUNS_FLEET_SCHEDULE_*_SPEC/_PAUSED stay unset
        // (built-in timings, and a pause set by an operator survives deployments).
        env["RUNS_FLEET_APPLY_SCHEDULES"] = "true";
        env["RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES"] = "60";
        // OrphanSweep phase b only with the runner profile, which also brings its TerminateInstances grant.
        if (settings.RunnerInstanceProfileArn is { } runnerProfile)
        {
            env["RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE"] = runnerProfile;
        }

        // A failed bootstrap's requeue only with runs-fleet's job queue, which also brings its SendMessage grant.
        if (settings.JobQueue?.Url is { } jobQueue)
        {
            env["RUNS_FLEET_QUEUE_URL"] = jobQueue;
        }

        return env;
    }

    /// <summary>The SqsBridge: both queue URLs and its concurrency / shutdown / size limits.</summary>
    public static Dictionary<string, string> Bridge(RunsFleetSettings settings, string terminationQueueUrl,
        string housekeepingQueueUrl)
    {
        var env = Common(settings);
        env["RUNS_FLEET_TERMINATION_QUEUE_URL"] = terminationQueueUrl;
        env["RUNS_FLEET_HOUSEKEEPING_QUEUE_URL"] = housekeepingQueueUrl;
        env["RUNS_FLEET_BRIDGE_MAX_CONCURRENCY"] = "500";
        // Must stay below the container stop timeout (FleetServices.BridgeStopTimeoutSeconds = 60) so in-flight deletes
        // finish.
        env["RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS"] = "25";
        // Termination and housekeeping messages are a few hundred bytes; 64 KiB bounds a malformed sender.
        env["RUNS_FLEET_MAX_MESSAGE_BYTES"] = "65536";
        return env;
    }

    /// <summary>ECS health check: healthy while the health file was touched within the last 60 s.</summary>
    public static IReadOnlyList<string> HealthCheckCommand =>
        ["CMD-SHELL", $"find {HealthFile} -mmin -1 | grep -q ."];
}
