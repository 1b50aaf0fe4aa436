using RunsFleet.Hosting;
using System.CommandLine;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;
using Temporalio.Api.Enums.V1;

namespace RunsFleet.Cli.Sweeps;

/// <summary><c>sweep last &lt;sweep&gt;</c>: the newest run of the sweep's workflow type (triggered or
/// scheduled), its status and its result; exits as <c>sweep run --watch</c> would have for it
/// (0 clean or still running, 7 needs attention, 1 failed), 3 when the sweep never ran.</summary>
internal static class SweepLastCommand
{
    public static Command Create(CliContext context)
    {
        var sweep = SweepArgument.Create();
        var command = new Command("last", "Show the latest run of a sweep and its result") { sweep };
        command.SetAction((parse, ct) => RunAsync(context, CliApp.Output(parse, context), parse.GetValue(sweep), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, SweepKind kind,
        CancellationToken cancellationToken)
    {
        var name = SweepArgument.NameOf(kind);
        var type = SweepNames.WorkflowType(kind);
        var client = await context.ConnectTemporalAsync(cancellationToken).ConfigureAwait(false);
        var (runs, _) = await WorkflowRuns.ListAsync(client, $"WorkflowType = {WorkflowRuns.Literal(type)}", 10,
            cancellationToken).ConfigureAwait(false);
        var run = (runs.Count > 0 ? runs[0] : null)
            ?? throw new CliException(ExitCodes.NotFound, $"no run of the {name} sweep ({type}) is known to Temporal");

        SweepOutcome outcome;
        SweepProgressView? progress = null;
        if (run.Status == WorkflowExecutionStatus.Running)
        {
            progress = await SweepWatch.TryQueryAsync(client.GetWorkflowHandle(run.Id, run.RunId),
                cancellationToken).ConfigureAwait(false);
            var summary = progress is null ? "no progress reported yet" : SweepProgressText.Line(progress);
            outcome = new SweepOutcome("Running", summary, [], [], null);
        }
        else
        {
            // This run's own close event: a continued-as-new run is followed to the run that finished the sweep.
            outcome = await SweepResults.AwaitAsync(kind, client.GetWorkflowHandle(run.Id, run.RunId), followRuns: true,
                cancellationToken).ConfigureAwait(false);
        }

        var report = new SweepLastReport(name, type, run.Id, run.RunId, run.StartTime, run.CloseTime,
            SweepOutcomeReport.Of(outcome), progress);
        output.Answer(report, () =>
        {
            var closed = run.CloseTime is { } close ? $", closed {close:yyyy-MM-dd HH:mm:ss} UTC" : string.Empty;
            output.Line($"{name} sweep {run.Id} (run {run.RunId}), started {run.StartTime:yyyy-MM-dd HH:mm:ss} "
                + $"UTC{closed}");
            outcome.Write(output);
        });

        return outcome.ExitCode;
    }
}

/// <summary>The JSON answer of <c>sweep last</c>.</summary>
internal sealed record SweepLastReport(
    string Sweep,
    string WorkflowType,
    string WorkflowId,
    string RunId,
    DateTime StartTime,
    DateTime? CloseTime,
    SweepOutcomeReport Outcome,
    SweepProgressView? Progress);
