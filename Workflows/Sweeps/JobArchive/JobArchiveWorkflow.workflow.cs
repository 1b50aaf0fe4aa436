using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Common;
using Temporalio.Workflows;
using RunsFleet.Contracts.Sweeps.JobArchive;

namespace RunsFleet.Workflows.Sweeps.JobArchive;

/// <summary>Archives and deletes job records completed longer ago than the retention. It scans the
/// completed_at index one terminal status at a time, one page per activity; the cutoff is
/// computed once from the workflow clock of the first run and, with the run key that
/// names the archive objects, carried through continue-as-new, which happens after a
/// bounded number of pages so the history stays small for millions of records.</summary>
[Workflow(SweepWorkflowTypes.OldJobArchival)]
public class JobArchiveWorkflow() : SweepWorkflow(SweepKind.JobArchive)
{
    /// <summary>Largest retention a trigger may ask for (ten years).</summary>
    public const int MaxRetentionDays = JobArchiveInput.MaxRetentionDays;

    [WorkflowRun]
    public async Task<JobArchiveResult> RunAsync(JobArchiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SweepPaging.RequireWithin(input.RetentionDays, MaxRetentionDays, "retention_days");

        // Runs that began before runs-fleet's own terminal statuses were archived keep reading
        // the first five, so their histories replay; every later run reads them all.
        IReadOnlyList<string> statuses = Workflow.Patched(WorkflowPatches.ArchiveRunsFleetStatuses)
            ? JobRecord.ArchivableStatuses
            : JobRecord.ArchivableStatuses.Take(JobRecord.LegacyArchivableCount).ToArray();
        var state = SweepContinuation.Read<JobArchiveContinuation>(input.Continuation) is { } continuation
            ? continuation with { Totals = continuation.Totals with { Runs = continuation.Totals.Runs + 1 } }
            : await StartAsync(input);
        var settings = state.Settings;
        var totals = (await SweepPaging.ReadAllPagesAsync(
            state,
            new SweepRunBudget(settings.PagesPerRun, FollowsServerSuggestion: true),
            s => s.StatusIndex >= statuses.Count,
            s => ArchivePageAsync(input, s, statuses[s.StatusIndex]),
            s => input with { Continuation = SweepContinuation.Write(s) },
            s => Report(s.Totals.ToView()))).Totals;

        Workflow.Logger.LogInformation(
            "Old job archival done: {Matched} records before {Cutoff}, {Deleted} deleted, {Unprocessed} unprocessed, "
                + "dry run {DryRun}",
            totals.RecordsMatched,
            totals.Cutoff,
            totals.RecordsDeleted,
            totals.UnprocessedCount,
            totals.DryRun);
        Report(SweepPhases.Done);
        return totals;
    }

    // One page of one terminal status; the next state moves to the next status when the page was its last.
    private static async Task<JobArchiveContinuation> ArchivePageAsync(JobArchiveInput input,
        JobArchiveContinuation state, string status)
    {
        var (settings, totals) = (state.Settings, state.Totals);
        var archive = !input.DryRun && settings.ArchiveBucket is not null;
        var request = new JobArchivePageRequest
        {
            Status = status,
            Cutoff = totals.Cutoff,
            Cursor = state.Cursor,
            PageSize = settings.PageSize,
            DryRun = input.DryRun,
            ArchiveBucket = archive ? settings.ArchiveBucket : null,
            ArchiveKey = archive
                ? JobArchiveRules.ArchiveKey(settings.ArchivePrefix, totals.StartedAt, Workflow.Info.WorkflowId,
                    totals.RunKey, status, state.NextPage)
                : null,
        };
        var page = await Workflow.ExecuteActivityAsync(
            (JobArchiveActivities a) => a.ArchiveJobPageAsync(request),
            ActivityPolicies.SweepPage);
        var next = state with { Totals = totals.Add(status, page) };
        return page.NextCursor is null
            ? next with { StatusIndex = state.StatusIndex + 1, Cursor = null, NextPage = 1 }
            : next with { Cursor = page.NextCursor, NextPage = state.NextPage + 1 };
    }

    private async Task<JobArchiveContinuation> StartAsync(JobArchiveInput input)
    {
        // The trigger time, before anything else runs: the cutoff and the archive date derive from it.
        var now = Workflow.UtcNow;
        Report(SweepProgress.Planning(SweepKind.JobArchive, input.DryRun));
        var settings = await Workflow.ExecuteActivityAsync(
            (JobArchiveActivities a) => a.PlanJobArchiveAsync(input.RetentionDays),
            ActivityPolicies.ShortAwsCall);
        return new JobArchiveContinuation
        {
            Settings = settings,
            StatusIndex = 0,
            Cursor = null,
            NextPage = 1,
            Totals = new JobArchiveResult
            {
                DryRun = input.DryRun,
                RetentionDays = settings.RetentionDays,
                Cutoff = JobArchiveRules.Cutoff(now, settings.RetentionDays),
                StartedAt = now,
                RunKey = Workflow.Info.RunId,
                ArchiveBucket = input.DryRun ? null : settings.ArchiveBucket,
            },
        };
    }
}
