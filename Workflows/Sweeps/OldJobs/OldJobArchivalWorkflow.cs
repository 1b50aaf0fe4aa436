using RunsFleet.Activities.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Activities.Jobs;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Sweeps.OldJobs;

/// <summary>
/// Archives and deletes job records completed longer ago than the retention. It scans the
/// completed_at index one terminal status at a time, one page per activity; the cutoff is
/// computed once from the workflow clock of the first run and, with the run key that
/// names the archive objects, carried through continue-as-new, which happens after a
/// bounded number of pages so the history stays small for millions of records.
/// </summary>
[Workflow("OldJobArchival")]
public class OldJobArchivalWorkflow
{
    /// <summary>Largest retention a trigger may ask for (ten years).</summary>
    public const int MaxRetentionDays = 3650;

    [WorkflowRun]
    [SuppressMessage("Performance", "CA1822", Justification = "Temporal runs the workflow on an instance")]
    public async Task<OldJobArchivalResult> RunAsync(OldJobArchivalInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.RetentionDays is < 1 or > MaxRetentionDays)
        {
            throw new ApplicationFailureException(
                $"retention_days must be between 1 and {MaxRetentionDays}, got {input.RetentionDays}",
                errorType: FailureTypes.InvalidInput,
                nonRetryable: true);
        }

        var state = input.Continuation is { } continuation
            ? continuation with { Totals = continuation.Totals with { Runs = continuation.Totals.Runs + 1 } }
            : await StartAsync(input);
        var statuses = JobRecord.TerminalStatuses;
        var settings = state.Settings;
        var totals = state.Totals;
        var statusIndex = state.StatusIndex;
        var cursor = state.Cursor;
        var nextPage = state.NextPage;

        for (var pagesThisRun = 0; statusIndex < statuses.Count; pagesThisRun++)
        {
            if (pagesThisRun >= settings.PagesPerRun || (pagesThisRun > 0 && Workflow.ContinueAsNewSuggested))
            {
                var next = input with
                {
                    Continuation = new OldJobArchivalContinuation
                    {
                        Settings = settings,
                        StatusIndex = statusIndex,
                        Cursor = cursor,
                        NextPage = nextPage,
                        Totals = totals,
                    },
                };
                throw Workflow.CreateContinueAsNewException((OldJobArchivalWorkflow wf) => wf.RunAsync(next));
            }

            var status = statuses[statusIndex];
            var archive = !input.DryRun && settings.ArchiveBucket is not null;
            var request = new OldJobArchivalPageRequest
            {
                Status = status,
                Cutoff = totals.Cutoff,
                Cursor = cursor,
                PageSize = settings.PageSize,
                DryRun = input.DryRun,
                ArchiveBucket = archive ? settings.ArchiveBucket : null,
                ArchiveKey = archive
                    ? OldJobArchivalRules.ArchiveKey(settings.ArchivePrefix, totals.StartedAt, Workflow.Info.WorkflowId, totals.RunKey, status, nextPage)
                    : null,
            };
            var page = await Workflow.ExecuteActivityAsync(
                (OldJobArchivalActivities a) => a.ArchiveJobPageAsync(request),
                ActivityPolicies.SweepPage);
            totals = totals.Add(status, page);
            if (page.NextCursor is null)
            {
                statusIndex++;
                cursor = null;
                nextPage = 1;
            }
            else
            {
                cursor = page.NextCursor;
                nextPage++;
            }
        }

        Workflow.Logger.LogInformation(
            "Old job archival done: {Matched} records before {Cutoff}, {Deleted} deleted, {Unprocessed} unprocessed, dry run {DryRun}",
            totals.RecordsMatched,
            totals.Cutoff,
            totals.RecordsDeleted,
            totals.UnprocessedCount,
            totals.DryRun);
        return totals;
    }

    private static async Task<OldJobArchivalContinuation> StartAsync(OldJobArchivalInput input)
    {
        // The trigger time, before anything else runs: the cutoff and the archive date derive from it.
        var now = Workflow.UtcNow;
        var settings = await Workflow.ExecuteActivityAsync(
            (OldJobArchivalActivities a) => a.GetJobArchivalSettingsAsync(input.RetentionDays),
            ActivityPolicies.ShortAwsCall);
        return new OldJobArchivalContinuation
        {
            Settings = settings,
            StatusIndex = 0,
            Cursor = null,
            NextPage = 1,
            Totals = new OldJobArchivalResult
            {
                DryRun = input.DryRun,
                RetentionDays = settings.RetentionDays,
                Cutoff = OldJobArchivalRules.Cutoff(now, settings.RetentionDays),
                StartedAt = now,
                RunKey = Workflow.Info.RunId,
                ArchiveBucket = input.DryRun ? null : settings.ArchiveBucket,
            },
        };
    }
}
