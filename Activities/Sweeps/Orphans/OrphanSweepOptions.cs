using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Orphans;

/// <summary>
/// Settings of the orphan sweep. The workflow input may override MaxRuntimeMinutes and
/// MaxTerminations for one run; everything else is the worker's configuration.
/// </summary>
public sealed class OrphanSweepOptions
{
    /// <summary>Longest a job may run before its instance is suspect (RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES).</summary>
    [Range(1, 7 * 24 * 60)]
    public int MaxRuntimeMinutes { get; set; } = 360;

    /// <summary>Extra margin on top of the max runtime (RUNS_FLEET_ORPHAN_BUFFER_MINUTES).</summary>
    [Range(0, 24 * 60)]
    public int BufferMinutes { get; set; } = 10;

    /// <summary>Blast-radius cap: above this many orphans, terminate none (RUNS_FLEET_ORPHAN_MAX_TERMINATIONS).</summary>
    [Range(0, MaxTerminationsLimit)]
    public int MaxTerminations { get; set; } = 50;

    /// <summary>DescribeInstances MaxResults, 5-1000.</summary>
    [Range(5, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// Instances per TerminateInstances call (RUNS_FLEET_ORPHAN_TERMINATE_BATCH_SIZE), 1-200: each batch
    /// is re-checked with one DescribeInstances instance-id filter, and EC2 takes at most 200 values per filter.
    /// </summary>
    [Range(1, Ec2Limits.MaxFilterValues)]
    public int TerminateBatchSize { get; set; } = 50;

    /// <summary>jobs-table lookups in flight at once.</summary>
    [Range(1, 64)]
    public int LookupConcurrency { get; set; } = 8;

    /// <summary>Listing pages per workflow run before continue-as-new (RUNS_FLEET_ORPHAN_PAGES_PER_RUN).</summary>
    [Range(1, 1000)]
    public int PagesPerRun { get; set; } = 10;

    /// <summary>Kept (not terminated) instances listed by id in the result; the rest are counted.</summary>
    [Range(0, 5000)]
    public int MaxListedInstances { get; set; } = 200;

    /// <summary>Upper bound of <see cref="MaxTerminations"/>, also for input overrides.</summary>
    public const int MaxTerminationsLimit = 1000;
}
