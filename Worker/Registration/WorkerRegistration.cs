using System.Linq.Expressions;
using Microsoft.Extensions.DependencyInjection;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Workflows.JobTermination;
using RunsFleet.Workflows.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Worker.Registration;

/// <summary>THE place where the system's capabilities plug into the worker: options bound from the
/// environment, workflows and activities on the Temporal worker, and the SqsBridge in dev
/// mode. Each capability has its own clearly marked section; adding one is a few lines here
/// and nowhere else (tests pick them up: the host test resolves every registered activity).</summary>
public static class WorkerRegistration
{
    // A sweep's settings take their prefix from the sweep's definition (RUNS_FLEET_STRAY_INSTANCES_...);
    // WasNamed keeps the names they had before issue 14 (RUNS_FLEET_ORPHAN_..., RUNS_FLEET_ARCHIVAL_...).
    private static OptionsBinding Sweep<TOptions>(SweepKind sweep, string setting,
        Expression<Func<TOptions, object?>> member, string meaning, Func<string, object?>? parse = null)
        where TOptions : class, new() =>
        OptionsBinding.For(SweepDefinition.Of(sweep).VariablePrefix + setting, member, meaning, parse);

    private static OptionsBinding Stray(
        string setting, Expression<Func<StrayInstanceSweepOptions, object?>> member, string meaning) =>
        Sweep(SweepKind.StrayInstances, setting, member, meaning).WasNamed("RUNS_FLEET_ORPHAN_" + setting);

    /// <summary>Environment variable -> options property, one line each. The default is the property's
    /// initial value; validation is the class's DataAnnotations; problems name the variable.</summary>
    public static IReadOnlyList<OptionsBinding> OptionsBindings { get; } =
    [
        // --- shared (Activities) ---
        OptionsBinding.For<JobsTableOptions>("RUNS_FLEET_JOBS_TABLE", o => o.TableName,
            "DynamoDB table of job records (key job_id)"),
        OptionsBinding.For<JobsTableOptions>("RUNS_FLEET_JOBS_INSTANCE_ID_GSI", o => o.InstanceIdIndex,
            "Jobs table index keyed by instance_id (runs-fleet's instance-id-index)"),
        OptionsBinding.For<JobsTableOptions>("RUNS_FLEET_JOBS_COMPLETED_AT_GSI", o => o.CompletedAtIndex,
            "Jobs table index (status, completed_at) OldJobArchival reads; added by this project"),
        OptionsBinding.For<JobsTableOptions>("RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI", o => o.ActiveJobsIndex,
            "Jobs table index (status, created_at) of the active jobs; added by this project"),
        OptionsBinding.For<MetricsOptions>("RUNS_FLEET_METRICS_NAMESPACE", o => o.Namespace,
            "CloudWatch namespace of the EMF metrics"),

        // --- job termination ---
        OptionsBinding.For<RunnerParameterOptions>("RUNS_FLEET_RUNNER_PARAMETER_PREFIX", o => o.Prefix,
            "SSM path prefix of runner parameters ({prefix}/{instance}/config|credential)")
            .AlsoReads(RunsFleetVariables.SecretsPathPrefix),
        OptionsBinding.For<JobQueueOptions>(
            "RUNS_FLEET_QUEUE_URL",
            o => o.QueueUrl,
            "runs-fleet's job queue (FIFO or standard) a failed bootstrap requeues its job to (unset = no requeue)"),

        // --- stale SSM + job archive ---
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "BUCKET", o => o.ArchiveBucket,
            "S3 bucket for archived job records (unset = delete without archiving)")
            .WasNamed("RUNS_FLEET_ARCHIVE_BUCKET"),
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "PREFIX", o => o.ArchivePrefix,
            "Key prefix of archived job records")
            .WasNamed("RUNS_FLEET_ARCHIVE_PREFIX"),
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "RETENTION_DAYS", o => o.RetentionDays,
            "Job records completed longer ago are archived and deleted")
            .WasNamed("RUNS_FLEET_JOB_RETENTION_DAYS"),
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "PAGE_SIZE", o => o.PageSize,
            "Job records per archival page (one Query, one archive object)")
            .WasNamed("RUNS_FLEET_ARCHIVAL_PAGE_SIZE"),
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "PAGES_PER_RUN", o => o.PagesPerRun,
            "Pages per workflow run before continue-as-new")
            .WasNamed("RUNS_FLEET_ARCHIVAL_PAGES_PER_RUN"),
        Sweep<JobArchiveOptions>(SweepKind.JobArchive, "DELETE_MAX_ATTEMPTS", o => o.DeleteMaxAttempts,
            "BatchWriteItem attempts for unprocessed items before they are reported")
            .WasNamed("RUNS_FLEET_ARCHIVAL_DELETE_MAX_ATTEMPTS"),
        Sweep<StaleSsmSweepOptions>(SweepKind.StaleSsm, "GRACE_MINUTES", o => o.GraceMinutes,
            "Runner parameters younger than this are kept"),
        Sweep<StaleSsmSweepOptions>(SweepKind.StaleSsm, "PAGES_PER_RUN", o => o.PagesPerRun,
            "Sweep batches (up to 80 parameter pages, 2,000 instance lookups each) per workflow run before "
            + "continue-as-new"),
        // The stale sweep lists under the same runner prefix the termination clean-up deletes from.
        OptionsBinding.For<StaleSsmSweepOptions>("RUNS_FLEET_RUNNER_PARAMETER_PREFIX", o => o.ParameterPrefix,
            "SSM path prefix of runner parameters", text => text.TrimEnd('/') + "/")
            .AlsoReads(RunsFleetVariables.SecretsPathPrefix),

        // --- stray instance sweep + pool audit ---
        Stray("MAX_RUNTIME_MINUTES", o => o.MaxRuntimeMinutes,
            "Longest a job may run before its instance is suspect")
            .AlsoReads(RunsFleetVariables.MaxRuntimeMinutes),
        Stray("BUFFER_MINUTES", o => o.BufferMinutes,
            "Extra minutes past the max runtime before an instance is a candidate"),
        Stray("MAX_TERMINATIONS", o => o.MaxTerminations,
            "Blast-radius cap: above this many orphans, terminate none"),
        Stray("TERMINATE_BATCH_SIZE", o => o.TerminateBatchSize,
            "Instances per TerminateInstances call, 1-200 (the EC2 filter-value limit of its re-check)"),
        Stray("PAGES_PER_RUN", o => o.PagesPerRun,
            "DescribeInstances pages per workflow run before continue-as-new"),
        Stray("RUNNER_INSTANCE_PROFILE", o => o.RunnerInstanceProfile,
            "Instance profile runners launch with (ARN or name); phase b (instances on it without the managed tag) is "
            + "off while unset")
            .AlsoReads(RunsFleetVariables.InstanceProfileArn),
        Stray("PROFILE_ENABLED", o => o.ProfileEnabled,
            "Phase b: terminate instances on the runner instance profile without runs-fleet:managed=true"),
        Stray("PROFILE_GRACE_MINUTES", o => o.ProfileGraceMinutes,
            "Phase b: minutes since launch before an untagged instance is an orphan"),
        Stray("UNCLAIMED_ENABLED", o => o.UnclaimedEnabled,
            "Phase c: terminate managed instances outside any pool that never got a job"),
        Stray("UNCLAIMED_GRACE_MINUTES", o => o.UnclaimedGraceMinutes,
            "Phase c: minutes since launch without any job record")
            .AlsoReads(RunsFleetVariables.UnclaimedInstanceGraceMinutes),
        Stray("COMPLETED_ENABLED", o => o.CompletedEnabled,
            "Phase d: terminate managed instances outside any pool whose jobs have all finished"),
        Stray("COMPLETED_GRACE_MINUTES", o => o.CompletedGraceMinutes,
            "Phase d: minutes since the last job of this launch completed")
            .AlsoReads(RunsFleetVariables.CompletedInstanceGraceMinutes),
        Stray("STOPPED_ENABLED", o => o.StoppedEnabled,
            "Phase e: terminate stopped managed instances outside any pool (destroys their volumes)")
            .AlsoReads(RunsFleetVariables.StoppedInstanceGraceHours, RunsFleetVariables.StoppedPhaseEnabled),
        Stray("STOPPED_GRACE_HOURS", o => o.StoppedGraceHours,
            "Phase e: hours since the stopped instance was last started")
            .AlsoReads(RunsFleetVariables.StoppedInstanceGraceHours, RunsFleetVariables.StoppedPhaseGrace),
        Stray("PACKER_ENABLED", o => o.PackerEnabled,
            "Phase f: terminate Packer AMI builders (created-by=runs-fleet-packer) left by killed builds"),
        Stray("PACKER_GRACE_MINUTES", o => o.PackerGraceMinutes,
            "Phase f: minutes since a builder's launch, at least runs-fleet's 60"),
        // The orphan sweep reads runs-fleet's instance claims from the same pools table the audit reads.
        OptionsBinding.For<StrayInstanceSweepOptions>("RUNS_FLEET_POOLS_TABLE", o => o.PoolsTableName,
            "DynamoDB table of pools (key pool_name); instance claims are read from it"),
        OptionsBinding.For<PoolAuditOptions>("RUNS_FLEET_POOLS_TABLE", o => o.PoolsTableName,
            "DynamoDB table of pools (key pool_name)"),
        OptionsBinding.For<PoolAuditOptions>("RUNS_FLEET_REPORT_BUCKET", o => o.ReportBucket,
            "S3 bucket for pool audit reports (unset = returned and logged only)"),
        OptionsBinding.For<PoolAuditOptions>("RUNS_FLEET_REPORT_PREFIX", o => o.ReportPrefix,
            "Key prefix of pool audit reports"),
        Sweep<PoolAuditOptions>(SweepKind.PoolAudit, "PRICES", o => o.HourlyPrices,
            "Hourly prices overriding the built-in table (m5.large=0.096,...)", text =>
            PoolAuditOptions.ParsePrices(text)),
        Sweep<PoolAuditOptions>(SweepKind.PoolAudit, "EBS_GB_MONTH_PRICE", o => o.EbsPricePerGbMonth,
            "EBS price per GB-month used for idle cost"),

        // --- orphaned job sweep ---
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "MAX_RUNTIME_MINUTES", o => o.MaxRuntimeMinutes,
            "Longest a job may run; older non-terminal jobs (plus slack) are marked orphaned")
            .AlsoReads(RunsFleetVariables.MaxRuntimeMinutes),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "SLACK_MINUTES", o => o.SlackMinutes,
            "Margin past the max runtime before a job is orphaned by age"),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "GRACE_MINUTES", o => o.GraceMinutes,
            "Jobs created less than this long ago are not read (their instance may not be visible yet)"),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "THRESHOLD_MINUTES", o => o.ThresholdMinutes,
            "No job younger than this is orphaned (a requeued one counted from requeued_at); "
            + "runs-fleet's orphanedJobThreshold"),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "MAX_JOBS", o => o.MaxJobs,
            "Blast-radius cap: above this many orphaned jobs, mark none"),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "STATUSES", o => o.Statuses,
            "Statuses the sweep reads (status-created_at-index partitions), comma separated: only launched, claiming, "
            + "running, requeued"),
        Sweep<OrphanedJobSweepOptions>(SweepKind.OrphanedJobs, "PAGES_PER_RUN", o => o.PagesPerRun,
            "status-created_at-index pages per workflow run before continue-as-new"),
    ];

    /// <summary>Registers every capability's workflows and activities on the worker.</summary>
    public static ITemporalWorkerServiceOptionsBuilder AddCapabilities(
        this ITemporalWorkerServiceOptionsBuilder worker) =>
        worker
            // --- job termination ---
            .AddWorkflow<JobTerminationWorkflow>()
            .AddScopedActivities<JobRecordActivities>()
            .AddScopedActivities<RunnerParameterActivities>()
            .AddScopedActivities<JobMetricsActivities>()
            .AddScopedActivities<JobRequeueActivities>()

            // --- the sweeps ---
            .AddWorkflow<StrayInstanceSweepWorkflow>()
            .AddWorkflow<PoolAuditWorkflow>()
            .AddScopedActivities<StrayInstanceSweepActivities>()
            .AddScopedActivities<PoolAuditActivities>()
            .AddWorkflow<StaleSsmSweepWorkflow>()
            .AddWorkflow<JobArchiveWorkflow>()
            .AddScopedActivities<StaleSsmSweepActivities>()
            .AddScopedActivities<JobArchiveActivities>()
            .AddWorkflow<OrphanedJobSweepWorkflow>()
            .AddScopedActivities<OrphanedJobSweepActivities>();

    /// <summary>Dev mode only: hosts the SqsBridge in the worker process when a queue URL is set.
    /// Returns true when the bridge was registered.</summary>
    public static bool AddSqsBridgeIfConfigured(IServiceCollection services, WorkerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Bridge.Any)
        {
            return false;
        }

        // The worker already registers ITemporalClient, IAmazonSQS and TimeProvider, which
        // AddSqsBridge reuses.
        var bridge = BridgeOptions.FromEnvironment(new EnvironmentSettingsReader(settings.Environment));
        services.AddSqsBridge(bridge with { TaskQueue = settings.TaskQueue });
        return true;
    }
}
