using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Aws;
using RunsFleet.Contracts.Sweeps.StrayInstances;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Settings of the orphan sweep. The workflow input may override MaxRuntimeMinutes and
/// MaxTerminations for one run; everything else is the worker's configuration.</summary>
public sealed class StrayInstanceSweepOptions
{
    /// <summary>
    /// Longest a job may run before its instance is suspect (RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES, also read
    /// from runs-fleet's RUNS_FLEET_MAX_RUNTIME_MINUTES).
    /// </summary>
    [Range(1, MaxRuntimeLimit)]
    public int MaxRuntimeMinutes { get; set; } = 360;

    /// <summary>Upper bound of <see cref="MaxRuntimeMinutes"/> (one week), also for input overrides.</summary>
    public const int MaxRuntimeLimit = StrayInstanceSweepInput.MaxRuntimeLimit;

    /// <summary>Extra margin on top of the max runtime (RUNS_FLEET_STRAY_INSTANCES_BUFFER_MINUTES).</summary>
    [Range(0, 24 * 60)]
    public int BufferMinutes { get; set; } = 10;

    /// <summary>Blast-radius cap: above this many orphans, terminate none
    /// (RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS).</summary>
    [Range(0, MaxTerminationsLimit)]
    public int MaxTerminations { get; set; } = 50;

    /// <summary>DescribeInstances MaxResults, 5-1000.</summary>
    [Range(5, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// Instances per TerminateInstances call (RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE), 1-200: each batch
    /// is re-checked with one DescribeInstances instance-id filter, and EC2 takes at most 200 values per filter.
    /// </summary>
    [Range(1, Ec2Limits.MaxFilterValues)]
    public int TerminateBatchSize { get; set; } = 50;

    /// <summary>jobs-table lookups in flight at once.</summary>
    [Range(1, 64)]
    public int LookupConcurrency { get; set; } = 8;

    /// <summary>
    /// Listing pages per workflow run before continue-as-new (RUNS_FLEET_STRAY_INSTANCES_PAGES_PER_RUN).
    /// </summary>
    [Range(1, 1000)]
    public int PagesPerRun { get; set; } = 10;

    /// <summary>Kept (not terminated) instances listed by id in the result; the rest are counted.</summary>
    [Range(0, 5000)]
    public int MaxListedInstances { get; set; } = 200;

    /// <summary>(b) The instance profile runners launch with, as an ARN or a name
    /// (RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE); phase b is off while it is unset.</summary>
    [RegularExpression(@"^(arn:[a-z-]+:iam::[0-9]{12}:instance-profile/[\w+=,.@/-]{1,512}|[\w+=,.@-]{1,128})\z")]
    public string? RunnerInstanceProfile { get; set; }

    /// <summary>(b) Instances on the runner profile without the managed tag
    /// (RUNS_FLEET_STRAY_INSTANCES_PROFILE_ENABLED).</summary>
    public bool ProfileEnabled { get; set; } = true;

    /// <summary>(b) Minutes since launch before an untagged instance is an orphan
    /// (RUNS_FLEET_STRAY_INSTANCES_PROFILE_GRACE_MINUTES).</summary>
    [Range(1, 24 * 60)]
    public int ProfileGraceMinutes { get; set; } = 15;

    /// <summary>(c) Unclaimed cold starts (RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_ENABLED).</summary>
    public bool UnclaimedEnabled { get; set; } = true;

    /// <summary>
    /// (c) Minutes since launch without any job record (RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_GRACE_MINUTES).
    /// </summary>
    [Range(1, 24 * 60)]
    public int UnclaimedGraceMinutes { get; set; } = 30;

    /// <summary>(d) Instances whose jobs all finished (RUNS_FLEET_STRAY_INSTANCES_COMPLETED_ENABLED).</summary>
    public bool CompletedEnabled { get; set; } = true;

    /// <summary>
    /// (d) Minutes since the last job completed (RUNS_FLEET_STRAY_INSTANCES_COMPLETED_GRACE_MINUTES).
    /// </summary>
    [Range(1, 24 * 60)]
    public int CompletedGraceMinutes { get; set; } = 15;

    /// <summary>(e) Abandoned stopped instances outside any pool (RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED). Off by
    /// default: terminating a stopped instance destroys its root volume.</summary>
    public bool StoppedEnabled { get; set; }

    /// <summary>(e) Hours since the stopped instance was last started
    /// (RUNS_FLEET_STRAY_INSTANCES_STOPPED_GRACE_HOURS).</summary>
    [Range(1, 90 * 24)]
    public int StoppedGraceHours { get; set; } = 24;

    /// <summary>
    /// (f) Packer AMI builders left behind by killed builds (RUNS_FLEET_STRAY_INSTANCES_PACKER_ENABLED).
    /// </summary>
    public bool PackerEnabled { get; set; } = true;

    /// <summary>(f) Minutes since a builder's launch (RUNS_FLEET_STRAY_INSTANCES_PACKER_GRACE_MINUTES). Never under
    /// runs-fleet's own 60 (housekeeping/packer.go:19): a build in progress must not lose its builder.</summary>
    [Range(60, 7 * 24 * 60)]
    public int PackerGraceMinutes { get; set; } = 60;

    /// <summary>runs-fleet's pools table (RUNS_FLEET_POOLS_TABLE, shared with the pool audit), read for the
    /// instance claims (__instance_claim:ID rows) before anything is terminated.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.-]{3,255}\z",
        ErrorMessage = "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)")]
    public string PoolsTableName { get; set; } = "runs-fleet-pools";

    /// <summary>
    /// The cutoffs of phases b-f for a sweep whose "now" is <paramref name="now"/>; a disabled phase gets none.
    /// </summary>
    public StrayInstancePhaseCutoffs PhaseCutoffs(DateTimeOffset now)
    {
        var profile = ProfileEnabled
            && !string.IsNullOrWhiteSpace(RunnerInstanceProfile) ? RunnerInstanceProfile : null;
        return new(
            profile is null ? null : now - TimeSpan.FromMinutes(ProfileGraceMinutes),
            profile is null ? null : StrayInstancePhaseRules.ProfileArnFilter(profile),
            UnclaimedEnabled ? now - TimeSpan.FromMinutes(UnclaimedGraceMinutes) : null,
            CompletedEnabled ? now - TimeSpan.FromMinutes(CompletedGraceMinutes) : null,
            StoppedEnabled ? now - TimeSpan.FromHours(StoppedGraceHours) : null)
        {
            PackerBuilder = PackerEnabled ? now - TimeSpan.FromMinutes(PackerGraceMinutes) : null,
        };
    }

    /// <summary>Upper bound of <see cref="MaxTerminations"/>, also for input overrides.</summary>
    public const int MaxTerminationsLimit = StrayInstanceSweepInput.MaxTerminationsLimit;
}
