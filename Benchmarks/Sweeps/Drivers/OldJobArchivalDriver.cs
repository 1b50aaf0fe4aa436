using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.JobArchive;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the OldJobArchival activities, in the workflow's order:
/// settings, then one page activity after another, terminal status by terminal status, each
/// page archived to S3 before it is deleted (the workflow's own totals record).
/// The one file to adapt when the activities change.
/// </summary>
internal static class JobArchiveDriver
{
    private const string WorkflowId = "sweep-old-jobs";
    private const string RunId = "benchmark";

    /// <summary>Records older than this many days are archived (the default setting), for the seed.</summary>
    public static int RetentionDays => new JobArchiveOptions().RetentionDays;

    /// <summary>Query page size of the sweep (the default setting), for the minimum.</summary>
    public static int PageSize => new JobArchiveOptions().PageSize;

    /// <summary>Runs the sweep (not a dry run, archive on); returns the records deleted.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new JobArchiveActivities(
            clients.DynamoDb,
            clients.S3,
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            Options.Create(new JobArchiveOptions { ArchiveBucket = target.Bucket }),
            new DiscardingMetricsSink(),
            TimeProvider.System,
            NullLogger<JobArchiveActivities>.Instance);

        var settings = await activities.PlanJobArchiveAsync(null);
        var totals = new JobArchiveResult
        {
            RetentionDays = settings.RetentionDays,
            Cutoff = JobArchiveRules.Cutoff(target.Now, settings.RetentionDays),
            StartedAt = target.Now,
            RunKey = RunId,
            ArchiveBucket = settings.ArchiveBucket,
        };
        foreach (var status in JobRecord.ArchivableStatuses)
        {
            JobPageCursor? cursor = null;
            var pageNumber = 1;
            do
            {
                var page = await activities.ArchiveJobPageAsync(new JobArchivePageRequest
                {
                    Status = status,
                    Cutoff = totals.Cutoff,
                    Cursor = cursor,
                    PageSize = settings.PageSize,
                    ArchiveBucket = settings.ArchiveBucket,
                    ArchiveKey = settings.ArchiveBucket is null
                        ? null
                        : JobArchiveRules.ArchiveKey(settings.ArchivePrefix, totals.StartedAt, WorkflowId, totals.RunKey, status, pageNumber),
                });
                totals = totals.Add(status, page);
                cursor = page.NextCursor;
                pageNumber++;
            }
            while (cursor is not null);
        }

        return totals.RecordsDeleted;
    }
}
