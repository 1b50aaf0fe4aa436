using RunsFleet.Hosting;
using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Common;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Cli.Sweeps;

/// <summary><c>sweep run &lt;sweep&gt; [--dry-run] [--max N] [--watch] [--yes]</c>: starts the sweep exactly as a
/// housekeeping message would (same id, type, input, task queue, search attribute), or joins the
/// run already going; with --watch follows it to its result and exits from it.</summary>
internal static class SweepRunCommand
{
    public static Command Create(CliContext context)
    {
        var sweep = SweepArgument.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "report what the sweep would do; change nothing" };
        var max = new Option<int?>("--max")
        {
            Description = "the sweep's cap for this run: most instances to terminate (orphans) or jobs to mark "
                + "(orphaned-jobs); above it none is touched. Only lower than the worker's configured cap: a higher "
                + "one fails the run",
        };
        var watch = new Option<bool>("--watch") { Description = "follow the run's progress until it ends; exit 0 "
            + "clean, 7 needs attention, 1 failed" };
        var yes = Confirmation.Yes(
            "confirm a run that terminates, deletes or marks things (not needed with --dry-run or for pool-audit)");
        var command = new Command("run", "Start a sweep now, or join the run already going") { sweep, dryRun, max,
            watch, yes };
        command.SetAction((parse, ct) => RunAsync(
            context, CliApp.Output(parse, context), parse.GetValue(sweep), parse.GetValue(dryRun), parse.GetValue(max),
                parse.GetValue(watch), parse.GetValue(yes), ct));
        return command;
    }

    private static async Task<int> RunAsync(
        CliContext context, CliOutput output, SweepKind kind, bool dryRun, int? max, bool watch, bool yes,
            CancellationToken cancellationToken)
    {
        var name = SweepArgument.NameOf(kind);
        var trigger = SweepTrigger.For(kind, dryRun, max, context.Time.GetUtcNow());
        if (!dryRun && kind != SweepKind.PoolAudit)
        {
            Confirmation.Require(yes, $"sweep run {name} acts for real (terminates, deletes or marks what it finds)");
        }

        var client = await context.ConnectTemporalAsync(cancellationToken).ConfigureAwait(false);
        var taskQueue = context.Variable(BridgeOptions.TaskQueueVariable) ?? TaskQueues.Default;
        var starter = TemporalWorkflowStarter.OnTaskQueue(client, taskQueue,
            NullLogger<TemporalWorkflowStarter>.Instance);
        var request = SweepStarts.For(trigger);
        var started = await starter.StartAsync(request, cancellationToken).ConfigureAwait(false);
        var joined = started.Status != StartStatus.Started;
        var report = new SweepRunReport(name, request.WorkflowType, started.WorkflowId, started.RunId, joined,
            taskQueue, trigger.Input);
        if (!output.IsJson)
        {
            output.Line(joined
                ? $"joined the running {name} sweep {started.WorkflowId} (run {started.RunId ?? "unknown"}): no "
                    + $"second run was started, and this command's --dry-run/--max do not apply to it"
                : $"started the {name} sweep {started.WorkflowId} (run {started.RunId}) on task queue "
                    + $"{taskQueue}{(dryRun ? " as a dry run" : string.Empty)}");
        }

        if (!watch)
        {
            if (output.IsJson)
            {
                output.WriteJson(report);
            }

            return ExitCodes.Success;
        }

        var (outcome, progress) = await new SweepWatch(context, output)
            .RunAsync(client, kind, started.WorkflowId, started.RunId, cancellationToken).ConfigureAwait(false);
        output.Answer(report with { Outcome = SweepOutcomeReport.Of(outcome), Progress = progress },
            () => outcome.Write(output));

        return outcome.ExitCode;
    }
}

/// <summary>The JSON answer of <c>sweep run</c>.</summary>
/// <param name="Joined">True when a run was already going and was joined instead of starting another.</param>
/// <param name="Input">The input the CLI asked for (a joined run keeps its own).</param>
internal sealed record SweepRunReport(string Sweep, string WorkflowType, string WorkflowId, string? RunId, bool Joined,
    string TaskQueue, object Input)
{
    /// <summary>With --watch: how the run ended.</summary>
    public SweepOutcomeReport? Outcome { get; init; }

    /// <summary>With --watch: the last progress the run reported.</summary>
    public SweepProgressView? Progress { get; init; }
}

/// <summary>A <see cref="SweepOutcome"/> as JSON: figures as an object, the exit code it gives.</summary>
internal sealed record SweepOutcomeReport(
    string Status, string Summary, IReadOnlyDictionary<string, string> Figures, IReadOnlyList<string> Problems,
        int ExitCode, object? Result)
{
    public static SweepOutcomeReport Of(SweepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Status, outcome.Summary, outcome.Figures.ToDictionary(StringComparer.Ordinal),
            outcome.Problems, outcome.ExitCode, outcome.Result);
    }
}
