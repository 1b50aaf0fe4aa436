using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Cli.Sweeps;

/// <summary><c>sweep run --watch</c>: asks the running sweep for its <see cref="SweepProgressView.QueryName"/>
/// every <see cref="CliContext.WatchInterval"/> until its result is in. On a terminal a live
/// display (a bar once the acting phase knows its target, a spinner with counts before); in
/// plain text one line per change; in JSON nothing (the final document says it all).</summary>
internal sealed class SweepWatch(CliContext context, CliOutput output)
{
    /// <summary>Watches the sweep started (or joined) as <paramref name="workflowId"/>/<paramref name="runId"/>;
    /// returns its outcome and last progress.</summary>
    public async Task<(SweepOutcome Outcome, SweepProgressView? Progress)> RunAsync(
        ITemporalClient client, SweepKind kind, string workflowId, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // The result follows continue-as-new from the run started; queries go to the latest run.
        var result = SweepResults.AwaitAsync(kind, client.GetWorkflowHandle(workflowId, runId), followRuns: true,
            cancellationToken);
        var latest = client.GetWorkflowHandle(workflowId);
        SweepProgressView? last;
        if (output.IsRich)
        {
            last = await DrawLiveAsync(latest, result, SweepArgument.NameOf(kind),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Action<SweepProgressView> report = output.IsJson ? _ => { } : view =>
                output.Line(SweepProgressText.Line(view));
            last = await PollAsync(latest, result, report, cancellationToken).ConfigureAwait(false);
        }

        return (await result.ConfigureAwait(false), last);
    }

    private async Task<SweepProgressView?> DrawLiveAsync(WorkflowHandle latest, Task result, string sweep,
        CancellationToken cancellationToken)
    {
        SweepProgressView? last = null;
        await output.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"{sweep}: waiting for the first progress"), maxValue: 1);
                task.IsIndeterminate = true;
                last = await PollAsync(latest, result, view => Draw(task, sweep, view),
                    cancellationToken).ConfigureAwait(false);
                if (task.IsIndeterminate)
                {
                    task.IsIndeterminate = false;
                    task.Value = task.MaxValue;
                }

                task.StopTask();
            }).ConfigureAwait(false);
        return last;
    }

    private static void Draw(ProgressTask task, string sweep, SweepProgressView view)
    {
        task.Description = Markup.Escape($"{sweep}: {SweepProgressText.Line(view)}");
        if (view.ActTarget is { } target)
        {
            // Acting on a known number of items: a bar (an empty target is a full bar, not 0 of 0).
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, target);
            task.Value = target == 0 ? task.MaxValue : Math.Min(view.ActedOn, target);
        }
        else
        {
            task.IsIndeterminate = true;
        }
    }

    // Queries first and checks the result after, so the progress after the last change (the
    // "done" view) is reported too; reports a view only when its text changed.
    private async Task<SweepProgressView?> PollAsync(WorkflowHandle latest, Task result,
        Action<SweepProgressView> report, CancellationToken cancellationToken)
    {
        SweepProgressView? last = null;
        string? lastText = null;
        while (true)
        {
            if (await TryQueryAsync(latest, cancellationToken).ConfigureAwait(false) is { } view)
            {
                var text = SweepProgressText.Line(view);
                if (!string.Equals(text, lastText, StringComparison.Ordinal))
                {
                    report(view);
                    lastText = text;
                }

                last = view;
            }

            if (result.IsCompleted)
            {
                return last;
            }

            await Task.WhenAny(result, Task.Delay(context.WatchInterval, context.Time,
                cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The sweep's progress, or null when it has no answer: a worker that predates the query, or
    /// a run no worker has picked up yet (the watch then keeps waiting for the result).</summary>
    public static async Task<SweepProgressView?> TryQueryAsync(WorkflowHandle handle,
        CancellationToken cancellationToken)
    {
        try
        {
            return await handle.QueryAsync<SweepProgressView>(
                SweepProgressView.QueryName, [],
                    new WorkflowQueryOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } })
                        .ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkflowQueryFailedException or WorkflowQueryRejectedException
            or RpcException { Code: not RpcException.StatusCode.NotFound })
        {
            return null;
        }
    }
}
