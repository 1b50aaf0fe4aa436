using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.OldJobs;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// OldJobArchival's steps: settings, then one page activity after another, terminal status by
/// terminal status, in the workflow's own continuation record (each page is archived to S3, then
/// deleted: no act step).
/// </summary>
internal static class OldJobArchivalDriver
{
    /// <summary>Over the benchmark's clients, not a dry run, archive bucket set; outcome: records deleted.</summary>
    public static SweepDriver<OldJobArchivalSettings, OldJobArchivalContinuation> For(
        SweepClients clients, SweepTarget target)
    {
        var activities = new OldJobArchivalActivities(
            clients.DynamoDb,
            clients.S3,
            Options.Create(new JobsTableOptions { TableName = target.JobsTable }),
            Options.Create(new OldJobArchivalOptions { ArchiveBucket = target.Bucket }),
            new DiscardingMetricsSink(),
            TimeProvider.System,
            NullLogger<OldJobArchivalActivities>.Instance);
        var statuses = JobRecord.ArchivableStatuses;
        var workflowId = SweepNames.WorkflowId(SweepKind.OldJobs);
        return new(
            () => activities.GetJobArchivalSettingsAsync(null),
            settings => new()
            {
                Settings = settings,
                StatusIndex = 0,
                NextPage = 1,
                Totals = new OldJobArchivalResult
                {
                    RetentionDays = settings.RetentionDays,
                    Cutoff = OldJobArchivalRules.Cutoff(target.Now, settings.RetentionDays),
                    StartedAt = target.Now,
                    RunKey = "benchmark",
                    ArchiveBucket = settings.ArchiveBucket,
                },
            },
            state => state.StatusIndex >= statuses.Count,
            async (settings, state) =>
            {
                var (status, totals) = (statuses[state.StatusIndex], state.Totals);
                var page = await activities.ArchiveJobPageAsync(new OldJobArchivalPageRequest
                {
                    Status = status,
                    Cutoff = totals.Cutoff,
                    Cursor = state.Cursor,
                    PageSize = settings.PageSize,
                    ArchiveBucket = settings.ArchiveBucket,
                    ArchiveKey = OldJobArchivalRules.ArchiveKey(
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
