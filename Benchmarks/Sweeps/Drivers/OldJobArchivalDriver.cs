using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Workflows.Sweeps.OldJobs;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the OldJobArchival activities, in the workflow's order:
/// settings, then one page activity after another, terminal status by terminal status, each
/// page archived to S3 before it is deleted (the workflow's own totals record).
/// The one file to adapt when the activities change.
/// </summary>
internal static class OldJobArchivalDriver
{
    private const string WorkflowId = "sweep-old-jobs";
    private const string RunId = "benchmark";

    /// <summary>Records older than this many days are archived (the default setting), for the seed.</summary>
    public static int RetentionDays => new OldJobArchivalOptions().RetentionDays;

    /// <summary>Query page size of the sweep (the default setting), for the minimum.</summary>
    public static int PageSize => new OldJobArchivalOptions().PageSize;

    /// <summary>Runs the sweep (not a dry run, archive on); returns the records deleted.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new OldJobArchivalActivities(
            clients.DynamoDb,
            clients.S3,
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            Options.Create(new OldJobArchivalOptions { ArchiveBucket = target.Bucket }),
            new DiscardingMetricsSink(),
            TimeProvider.System,
            NullLogger<OldJobArchivalActivities>.Instance);

        var settings = await activities.GetJobArchivalSettingsAsync(null);
        var totals = new OldJobArchivalResult
        {
            RetentionDays = settings.RetentionDays,
            Cutoff = OldJobArchivalRules.Cutoff(target.Now, settings.RetentionDays),
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
                var page = await activities.ArchiveJobPageAsync(new OldJobArchivalPageRequest
                {
                    Status = status,
                    Cutoff = totals.Cutoff,
                    Cursor = cursor,
                    PageSize = settings.PageSize,
                    ArchiveBucket = settings.ArchiveBucket,
                    ArchiveKey = settings.ArchiveBucket is null
                        ? null
                        : OldJobArchivalRules.ArchiveKey(settings.ArchivePrefix, totals.StartedAt, WorkflowId, totals.RunKey, status, pageNumber),
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
