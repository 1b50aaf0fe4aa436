using System.Globalization;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Cli.Sweeps;

/// <summary>Reads a sweep run's result and judges it, per sweep, from the result record itself: which
/// figures matter and what needs attention (a cap reached, actions that failed, items the sweep
/// could not judge and kept).</summary>
internal static class SweepResults
{
    /// <summary>Waits for the run of <paramref name="handle"/> to close (following continue-as-new when
    /// <paramref name="followRuns"/>) and returns its outcome; a failed, terminated, timed-out or
    /// canceled run is an outcome too.</summary>
    public static async Task<SweepOutcome> AwaitAsync(SweepKind kind, WorkflowHandle handle, bool followRuns,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        async Task<SweepOutcome> Judge<T>(Func<T, SweepOutcome> of) =>
            of(await handle.GetResultAsync<T>(followRuns, rpc).ConfigureAwait(false));
        try
        {
            return await (kind switch
            {
                SweepKind.StrayInstances => Judge<StrayInstanceSweepResult>(Of),
                SweepKind.StaleSsm => Judge<StaleSsmSweepResult>(Of),
                SweepKind.JobArchive => Judge<JobArchiveResult>(Of),
                SweepKind.PoolAudit => Judge<PoolAuditResult>(Of),
                SweepKind.OrphanedJobs => Judge<OrphanedJobSweepResult>(Of),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            }).ConfigureAwait(false);
        }
        catch (WorkflowFailedException e)
        {
            var cause = e.InnerException ?? e;
            var status = cause switch
            {
                TerminatedFailureException => "Terminated",
                TimeoutFailureException => "TimedOut",
                CanceledFailureException => "Canceled",
                _ => "Failed",
            };
            return SweepOutcome.NotCompleted(status, FailureText(cause));
        }
    }

    /// <summary>A failure and its innermost cause in one line: a sweep that failed in an activity says
    /// "Activity task failed" itself; the reason (e.g. an override refused) is its cause's message.</summary>
    public static string FailureText(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var root = failure;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        var text = ReferenceEquals(root, failure) ? failure.Message : $"{failure.Message}: {root.Message}";
        return text.ReplaceLineEndings(" ").Trim();
    }

    public static SweepOutcome Of(StrayInstanceSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        if (result.Action == SweepAction.CapReached)
        {
            problems.Add($"cap reached: {result.OrphansFound} orphans found, more than --max "
                + $"{result.MaxTerminations}; none was terminated");
        }

        Count(problems, result.Instances.Count(i => i.Decision == StrayInstanceDecision.TerminateFailed),
            "orphan(s) whose termination failed");
        Count(problems, result.Kept.LookupFailed, "instance(s) kept because their jobs could not be looked up");
        Count(problems, result.Kept.MissingLaunchTime, "instance(s) kept without a launch time");
        return Completed(result.Summary, problems, result,
            ("dry run", Text(result.DryRun)), ("scanned", Text(result.Scanned)), ("candidates",
                Text(result.Candidates)),
            ("orphans found", Text(result.OrphansFound)), ("terminated", Text(result.Terminated)), ("max terminations",
                Text(result.MaxTerminations)),
            ("kept: active job", Text(result.Kept.ActiveJob)), ("kept: protected", Text(result.Kept.Protected)),
            ("pages", Text(result.Pages)), ("runs", Text(result.Runs)));
    }

    public static SweepOutcome Of(OrphanedJobSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        if (result.Action == SweepAction.CapReached)
        {
            problems.Add($"cap reached: {result.OrphanedJobs} orphaned jobs found, more than --max {result.MaxJobs}; "
                + $"none was marked");
        }

        if (result.Action == SweepAction.InstancesUnknown)
        {
            problems.Add(
                $"EC2 knew none of the {result.InstancesChecked} instances looked up (wrong region or account?); "
                + $"none of {result.OrphanedJobs} orphaned jobs was marked");
        }

        Count(problems, result.MarkFailed, "job(s) whose marking failed");
        Count(problems, result.KeptUnreadable, "job record(s) kept because they could not be read");
        return Completed(result.Summary, problems, result,
            ("dry run", Text(result.DryRun)), ("jobs read", Text(result.JobsRead)), ("orphaned jobs",
                Text(result.OrphanedJobs)),
            ("instance gone", Text(result.InstanceGone)), ("over age", Text(result.OverAge)),
            ("kept: young", Text(result.KeptYoung)),
            ("instances known", $"{Text(result.InstancesKnown)}/{Text(result.InstancesChecked)}"),
            ("marked", Text(result.Marked)),
            ("left alone", Text(result.LeftAlone)), ("max jobs", Text(result.MaxJobs)), ("parameters deleted",
                Text(result.ParametersDeleted)),
            ("pages", Text(result.Pages)), ("runs", Text(result.Runs)));
    }

    public static SweepOutcome Of(StaleSsmSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        Count(problems, result.Unparseable, "parameter(s) kept because their name holds no instance id");
        Count(problems, result.KeptNoTimestamp, "parameter(s) kept without a timestamp");
        var summary = result.DryRun
            ? $"{result.StaleParameters} of {result.ParametersListed} parameters are stale and would be deleted (dry "
                + $"run)"
            : $"{result.ParametersDeleted} of {result.ParametersListed} parameters deleted as stale";
        return Completed(summary, problems, result,
            ("dry run", Text(result.DryRun)), ("listed", Text(result.ParametersListed)), ("stale",
                Text(result.StaleParameters)),
            ("deleted", Text(result.ParametersDeleted)), ("already gone", Text(result.AlreadyGone)), ("kept: young",
                Text(result.KeptYoung)),
            ("kept: instance alive", Text(result.KeptInstanceAlive)), ("pages", Text(result.Pages)), ("runs",
                Text(result.Runs)));
    }

    public static SweepOutcome Of(JobArchiveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        Count(problems, result.UnprocessedCount,
            "record(s) left in the table after every retry (DynamoDB kept them unprocessed)");
        var summary = result.DryRun
            ? $"{result.RecordsMatched} job records older than {result.RetentionDays} days would be archived and "
                + $"deleted (dry run)"
            : $"{result.RecordsDeleted} of {result.RecordsMatched} job records older than {result.RetentionDays} days "
                + $"archived and deleted";
        return Completed(summary, problems, result,
            ("dry run", Text(result.DryRun)), ("cutoff", result.Cutoff), ("matched", Text(result.RecordsMatched)),
            ("deleted", Text(result.RecordsDeleted)), ("skipped", Text(result.RecordsSkipped)), ("archive objects",
                Text(result.ArchiveObjects)),
            ("pages", Text(result.Pages)), ("runs", Text(result.Runs)));
    }

    public static SweepOutcome Of(PoolAuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        Count(problems, result.Totals.UnpricedPools,
            "pool(s) whose cost is unknown (instance type without a price, or no EBS size)");
        Count(problems, result.UntrackedInstances, "instance(s) tagged with a pool missing from the pools table");
        var report = result.ReportKey is { } key ? $"report {key}" : result.DryRun ? "no report written (dry "
            + "run)" : "no report written (no report bucket)";
        var summary = $"{result.Totals.Pools} pools, {result.Totals.Running} running, {result.Totals.Stopped} "
            + $"stopped, {result.Totals.Idle} idle; {report}";
        return Completed(summary, problems, result,
            ("dry run", Text(result.DryRun)), ("pools", Text(result.Totals.Pools)), ("utilization",
                Percent(result.Totals.Utilization)),
            ("idle cost $/h", result.Totals.IdleCostPerHour.ToString("0.0000", CultureInfo.InvariantCulture)),
            ("compute cost $", result.Totals.ComputeCost.ToString("0.00", CultureInfo.InvariantCulture)),
            ("instances scanned", Text(result.InstancesScanned)), ("metrics published", Text(result.MetricsPublished)),
                ("report", result.ReportKey ?? "-"));
    }

    /// <summary>A fraction as a percentage ("62.5%"), or "n/a".</summary>
    public static string Percent(double? fraction) =>
        fraction is { } value ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static SweepOutcome Completed(string summary, List<string> problems, object result, params (string Name,
        string Value)[] figures) =>
        new("Completed", summary, [.. figures.Select(f => KeyValuePair.Create(f.Name, f.Value))], problems, result);

    private static void Count(List<string> problems, long count, string what)
    {
        if (count > 0)
        {
            problems.Add($"{count} {what}");
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(bool value) => value ? "yes" : "no";
}
