using System.ComponentModel.DataAnnotations;
using RunsFleet.Contracts.Sweeps.JobArchive;

namespace RunsFleet.Activities.Sweeps.JobArchive;

/// <summary>Settings of the job archive sweep (variables RUNS_FLEET_JOB_ARCHIVE_*).</summary>
public sealed class JobArchiveOptions
{
    /// <summary>S3 bucket that receives each batch as JSON Lines before it is deleted; null or empty
    /// deletes without archiving (RUNS_FLEET_JOB_ARCHIVE_BUCKET).</summary>
    [RegularExpression(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z",
        ErrorMessage = "must be an S3 bucket name (3-63 of a-z 0-9 . -)")]
    public string? ArchiveBucket { get; set; }

    /// <summary>Key prefix of the archive objects (RUNS_FLEET_JOB_ARCHIVE_PREFIX).</summary>
    [RegularExpression(@"^[A-Za-z0-9!_.*'()/=-]{0,200}\z", ErrorMessage = "must be up to 200 URL-safe characters")]
    public string ArchivePrefix { get; set; } = "runs-fleet/jobs-archive";

    /// <summary>
    /// Records completed more than this many days ago are archived (RUNS_FLEET_JOB_ARCHIVE_RETENTION_DAYS).
    /// </summary>
    [Range(1, MaxRetentionDays)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>Upper bound of <see cref="RetentionDays"/> (ten years), also for input overrides.</summary>
    public const int MaxRetentionDays = JobArchiveInput.MaxRetentionDays;

    /// <summary>Query page size: records per page, archive object and activity
    /// (RUNS_FLEET_JOB_ARCHIVE_PAGE_SIZE).</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Pages one workflow run handles before it continues as new, which keeps the history
    /// bounded for a table of millions of records (RUNS_FLEET_JOB_ARCHIVE_PAGES_PER_RUN).</summary>
    [Range(1, 1000)]
    public int PagesPerRun { get; set; } = 50;

    /// <summary>BatchWriteItem attempts per group of 25 while DynamoDB leaves items unprocessed
    /// (RUNS_FLEET_JOB_ARCHIVE_DELETE_MAX_ATTEMPTS).</summary>
    [Range(1, 20)]
    public int DeleteMaxAttempts { get; set; } = 8;

    /// <summary>First backoff before retrying unprocessed items; doubles per attempt up to 5 s.</summary>
    [Range(0, 5000)]
    public int DeleteRetryDelayMilliseconds { get; set; } = 100;

    /// <summary>True when batches go to S3 before they are deleted.</summary>
    public bool ArchiveEnabled => !string.IsNullOrWhiteSpace(ArchiveBucket);
}
