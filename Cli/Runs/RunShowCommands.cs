using RunsFleet.Hosting;
using System.CommandLine;
using System.Globalization;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Common;
using RunsFleet.Workflows.Common;
using Spectre.Console;
using Temporalio.Api.History.V1;
using Temporalio.Client;

namespace RunsFleet.Cli.Runs;

/// <summary><c>job show &lt;job-id&gt;</c> and <c>instance show &lt;instance-id&gt;</c>: the runs Temporal knows
/// by the RunsFleetJobId / RunsFleetInstanceId search attribute, each with its status, outcome
/// and a timeline of its activities. Exit 3 when no run is found.</summary>
internal static class RunShowCommands
{
    public static Command Job(CliContext context)
    {
        var id = new Argument<long>("job-id") { Description = "the GitHub job id" };
        var show = new Command("show", "Show the runs that handled a job") { id };
        show.SetAction((parse, ct) => ShowAsync(
            context, CliApp.Output(parse, context), "job", RunsFleetSearchAttributes.JobId.Name,
                parse.GetValue(id).ToString(CultureInfo.InvariantCulture), ct));
        return new Command("job", "Jobs: the workflow runs that handled them") { show };
    }

    public static Command Instance(CliContext context)
    {
        var id = new Argument<string>("instance-id") { Description = "the EC2 instance id (i-...)" };
        id.Validators.Add(result =>
        {
            if (!InstanceIds.IsValid(result.GetValueOrDefault<string>()))
            {
                result.AddError($"'{result.GetValueOrDefault<string>()}' is not an EC2 instance id (i- and 8 or 17 "
                    + $"hex digits)");
            }
        });
        var show = new Command("show", "Show the runs that handled an instance") { id };
        show.SetAction((parse, ct) => ShowAsync(
            context, CliApp.Output(parse, context), "instance", RunsFleetSearchAttributes.InstanceId.Name,
                parse.GetValue(id)!, ct));
        return new Command("instance", "Instances: the workflow runs that handled them") { show };
    }

    private static async Task<int> ShowAsync(CliContext context, CliOutput output, string what, string attribute,
        string value, CancellationToken cancellationToken)
    {
        var client = await context.ConnectTemporalAsync(cancellationToken).ConfigureAwait(false);
        var query = $"{attribute} = {WorkflowRuns.Literal(value)}";
        var (runs, more) = await WorkflowRuns.ListAsync(client, query, WorkflowRuns.MaxListed,
            cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            throw new CliException(ExitCodes.NotFound, $"no workflow run is known for {what} {value} ({query})");
        }

        var reports = new List<RunReport>();
        foreach (var run in runs)
        {
            var history = await client.GetWorkflowHandle(run.Id, run.RunId)
                .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions
                {
                    Rpc = new RpcOptions { CancellationToken = cancellationToken },
                }).ConfigureAwait(false);
            reports.Add(new RunReport(run, [.. history.Events]));
        }

        if (output.IsJson)
        {
            output.WriteJson(new RunsReport(query, reports, more));
            return ExitCodes.Success;
        }

        foreach (var report in reports)
        {
            Write(output, report);
        }

        if (more)
        {
            output.Line($"more runs match {query} than the {WorkflowRuns.MaxListed} shown; see the Temporal UI");
        }

        return ExitCodes.Success;
    }

    private static void Write(CliOutput output, RunReport run)
    {
        var closed = run.CloseTime is { } close ? $", closed {close:yyyy-MM-dd HH:mm:ss}" : string.Empty;
        output.Line($"{run.WorkflowType} {run.WorkflowId} (run {run.RunId}): {run.Status}, started "
            + $"{run.StartTime:yyyy-MM-dd HH:mm:ss}{closed} UTC");
        output.Line($"  outcome: {run.Outcome}");
        if (run.Activities.Count == 0)
        {
            output.Line("  no activity ran");
            return;
        }

        var table = output.Table("activity", "attempt", "state", "scheduled (UTC)", "duration", "failure");
        foreach (var step in run.Activities)
        {
            table.AddRow(
                Markup.Escape(step.Activity),
                step.Attempt.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(step.State),
                step.ScheduledAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                step.Duration is { } d ? d.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s" : "-",
                Markup.Escape(step.Failure ?? string.Empty));
        }

        output.Render(table);
    }
}

/// <summary>One run in the answer of <c>job show</c> / <c>instance show</c>.</summary>
internal sealed class RunReport(WorkflowExecution run, IReadOnlyList<HistoryEvent> events)
{
    private readonly (string Outcome, object? Result) _outcome = RunOutcome.Of(run.WorkflowType, events);

    public string WorkflowType => run.WorkflowType;

    public string WorkflowId => run.Id;

    public string RunId => run.RunId;

    public string Status => run.Status.ToString();

    public DateTime StartTime => run.StartTime;

    public DateTime? CloseTime => run.CloseTime;

    public string Outcome => _outcome.Outcome;

    public object? Result => _outcome.Result;

    public IReadOnlyList<ActivityStep> Activities { get; } = ActivityTimeline.Of(events);
}

/// <summary>The JSON answer of <c>job show</c> / <c>instance show</c>.</summary>
internal sealed record RunsReport(string Query, IReadOnlyList<RunReport> Runs, bool More);
