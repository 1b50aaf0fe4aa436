using System.ComponentModel.DataAnnotations;
using RunsFleet.Contracts.Sweeps.StaleSsm;

namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>Settings of the stale SSM parameter sweep (variables RUNS_FLEET_STALE_SSM_*,
/// RUNS_FLEET_RUNNER_PARAMETER_PREFIX).</summary>
public sealed class StaleSsmSweepOptions
{
    /// <summary>
    /// Parent path of the runner parameters, with a trailing slash (RUNS_FLEET_RUNNER_PARAMETER_PREFIX, with the slash
    /// added).
    /// Every parameter under it is named {prefix}{instance-id}/...
    /// </summary>
    [Required]
    [RegularExpression(@"^/([A-Za-z0-9_.-]+/)+\z",
        ErrorMessage = "must be an SSM path like /runs-fleet/runners/ (leading and trailing slash)")]
    public string ParameterPrefix { get; set; } = "/runs-fleet/runners/";

    /// <summary>Parameters modified less than this many minutes ago are kept, whatever their
    /// instance looks like: it may still be launching (RUNS_FLEET_STALE_SSM_GRACE_MINUTES).</summary>
    [Range(1, MaxGraceMinutes)]
    public int GraceMinutes { get; set; } = 10;

    /// <summary>Upper bound of <see cref="GraceMinutes"/> (one week), also for input overrides.</summary>
    public const int MaxGraceMinutes = StaleSsmSweepInput.MaxGraceMinutes;

    /// <summary>DescribeParameters page size; 50 is the API maximum.</summary>
    [Range(1, 50)]
    public int PageSize { get; set; } = 50;

    /// <summary>Sweep batches (each up to 80 listing pages and 2,000 instance lookups) one workflow run
    /// handles before it continues as new, which keeps the history bounded at any fleet size
    /// (RUNS_FLEET_STALE_SSM_PAGES_PER_RUN).</summary>
    [Range(1, 1000)]
    public int PagesPerRun { get; set; } = 100;
}
