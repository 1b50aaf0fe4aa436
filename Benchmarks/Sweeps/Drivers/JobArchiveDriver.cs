using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.JobArchive;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// OldJobArchival's steps: settings, then one page activity after another, terminal status by
/// terminal status, in the workflow's own continuation record (each page is archived to S3, then
/// deleted: no act step).
/// </summary>
internal static class JobArchiveDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, archive bucket set; outcome: records deleted.</summary>
    public static SweepDriver<JobArchivePlan, JobArchiveContinuation> For(
        SweepClients clients, SweepTarget target)
    {
        var activities = new JobArchiveActivities(
            clients.DynamoDb,
            clients.S3,
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            Options.Create(new JobArchiveOptions { ArchiveBucket = target.Bucket }),
            new DiscardingMetricsSink(),
            TimeProvider.System,
            NullLogger<JobArchiveActivities>.Instance);
        var statuses = JobRecord.ArchivableStatuses;
        var workflowId = SweepNames.WorkflowId(SweepKind.JobArchive);
        return new(
            () => activities.PlanJobArchiveAsync(null),
            settings => new()
            {
                Settings = settings,
                StatusIndex = 0,
                NextPage = 1,
                Totals = new JobArchiveResult
                {
                    RetentionDays = settings.RetentionDays,
                    Cutoff = JobArchiveRules.Cutoff(target.Now, settings.RetentionDays),
                    StartedAt = target.Now,
                    RunKey = "benchmark",
                    ArchiveBucket = settings.ArchiveBucket,
                },
            },
            state => state.StatusIndex >= statuses.Count,
            async (settings, state) =>
            {
                var (status, totals) = (statuses[state.StatusIndex], state.Totals);
                var page = await activities.ArchiveJobPageAsync(new JobArchivePageRequest
                {
                    Status = status,
                    Cutoff = totals.Cutoff,
                    Cursor = state.Cursor,
                    PageSize = settings.PageSize,
                    ArchiveBucket = settings.ArchiveBucket,
                    ArchiveKey = JobArchiveRules.ArchiveKey(
                        settings.ArchivePrefix, totals.StartedAt, workflowId, totals.RunKey, status, state.NextPage),
                });
                // As the workflow: the next status once this page was its status's last.
                var next = state with { Totals = totals.Add(status, page) };
                return page.NextCursor is null
                    ? next with { StatusIndex = state.StatusIndex + 1, Cursor = null, NextPage = 1 }
                    : next with { Cursor = page.NextCursor, NextPage = state.NextPage + 1 };
            },
            (_, state) => Task.FromResult<long>(state.Totals.RecordsDeleted));
    }
}
