using RunsFleet.Hosting;
using System.CommandLine;
using RunsFleet.Cli.Common;

namespace RunsFleet.Cli.Dlq;

/// <summary>`dlq redrive`: moves the chosen dead-lettered messages back to their source queue, each
/// exactly once; an interrupted redrive is finished by running it again (the journal).</summary>
internal static class DlqRedriveCommand
{
    public const string SendThenDeleteMethod = "send-then-delete";
    public const string MoveTaskMethod = "message-move-task";

    public static Command Build(CliContext context)
    {
        var queue = DlqCommands.QueueOption();
        var max = DlqCommands.MaxOption();
        var reason = DlqCommands.ReasonOption("move the messages of this reason: valid (the default: what the bridge "
            + "accepts now) or a rejection code");
        var all = new Option<bool>("--all") { Description = "move every message (SQS StartMessageMoveTask where "
            + "available)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "show what would move; change nothing" };
        var yes = Confirmation.Yes("really move the messages (not needed with --dry-run)");
        var journal = new Option<string?>("--journal")
        {
            Description = "the resume journal (default ./runs-fleet-redrive-<dlq name>.jsonl); run again with the "
                + "same journal to finish an interrupted redrive",
        };
        var command = new Command("redrive",
            "Move dead-lettered messages back to their source queue: by default those the bridge accepts now.")
        {
            queue, max, reason, all, dryRun, yes, journal,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(all) && result.GetResult(reason) is not null)
            {
                result.AddError("--all and --reason exclude each other: --all moves every message");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliApp.Output(parse, context);
            var request = new RedriveRequest(
                parse.GetValue(queue),
                parse.GetValue(all) ? null : parse.GetValue(reason) ?? DlqVerdict.Valid,
                parse.GetValue(max),
                parse.GetValue(dryRun),
                parse.GetValue(journal));
            if (!request.DryRun)
            {
                Confirmation.Require(parse.GetValue(yes),
                    $"dlq redrive would move {request.Selection} messages back to the "
                    + $"{request.Queue.ToString().ToLowerInvariant()} queue");
            }

            var summary = await RedriveProgress.RunAsync(output, $"redrive {request.Selection}", progress =>
                RunAsync(context, request, progress, cancellationToken))
                .ConfigureAwait(false);
            output.Answer(summary, () => output.Line(summary.Text()));

            if (summary.Failed > 0 && summary.Method == MoveTaskMethod)
            {
                throw new CliException(
                    ExitCodes.Failure,
                    $"redrive: the SQS move task ended with {summary.Moved} of {summary.Chosen} message(s) moved; see "
                        + $"'aws sqs list-message-move-tasks' for its failure reason and run the same command again");
            }

            if (summary.Failed > 0)
            {
                throw new CliException(
                    ExitCodes.Failure,
                    $"redrive: {summary.Failed} of {summary.Chosen} chosen message(s) not moved ({summary.NotSent} "
                        + $"not sent, {summary.NotDeleted} sent but not deleted); "
                    + $"run the same command again to "
                    + $"finish{(summary.Journal is null ? string.Empty : $" (journal {summary.Journal})")}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<RedriveSummary> RunAsync(CliContext context, RedriveRequest request,
        RedriveProgress progress, CancellationToken cancellationToken)
    {
        var sourceUrl = DeadLetterQueue.RequireSourceUrl(context, request.Queue);
        var sqs = context.Sqs();
        var classifier = DlqClassifier.For(request.Queue, context);
        var dlq = await DeadLetterQueue.ResolveAsync(sqs, request.Queue, sourceUrl,
            cancellationToken).ConfigureAwait(false);
        if (request.Reason is null && !request.DryRun
            && await MessageMoveTask.TryRunAsync(sqs, dlq, progress, context,
                cancellationToken).ConfigureAwait(false) is { } task)
        {
            return RedriveSummary.Of(dlq, request, task);
        }

        using var journal = request.DryRun
            ? null
            : RedriveJournal.Open(request.Journal ?? RedriveJournal.DefaultPath(dlq), context.Time);
        if (journal is { Unfinished: > 0 } resuming)
        {
            progress.Note($"resuming: {resuming.Unfinished} message(s) sent by an earlier run are deleted from the "
                + $"DLQ without being sent again");
        }

        var reader = new DlqReader(sqs, dlq, classifier, context.Error);
        await using (reader.ConfigureAwait(false))
        {
            var mover = new SendThenDelete(sqs, dlq, reader, journal, progress);
            try
            {
                await mover.RunAsync(m => request.Reason is null || m.Verdict.Reason == request.Reason, request.Max,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (journal is not null
                && e is not (CliException or OperationCanceledException or OutOfMemoryException))
            {
                var (code, message) = CliApp.Explain(e);
                throw new CliException(
                    code,
                    $"redrive stopped after moving {mover.Counts.Moved + mover.Counts.Resumed} message(s): {message}; "
                        + $"run the same command again to finish (journal {journal.Path})",
                    e);
            }

            var notRead = await reader.VisibleCountAsync(cancellationToken).ConfigureAwait(false);
            return new RedriveSummary(dlq, request, SendThenDeleteMethod, mover.Counts, notRead, journal?.Path);
        }
    }
}

/// <summary>What the operator asked `dlq redrive` for.</summary>
/// <param name="Reason">"valid", a rejection code, or null for --all.</param>
internal sealed record RedriveRequest(BridgeQueue Queue, string? Reason, int Max, bool DryRun, string? Journal)
{
    public string Selection => Reason ?? "all";
}

/// <summary>`dlq redrive`'s answer (the JSON document, and the last line in text).</summary>
internal sealed class RedriveSummary(
    DeadLetterQueue dlq, RedriveRequest request, string method, RedriveCounts counts, int notRead, string? journal)
{
    public string DeadLetterQueue => dlq.Name;

    public string SourceQueue => dlq.SourceName;

    public string Selection => request.Selection;

    public string Method => method;

    public bool DryRun => request.DryRun;

    public int Chosen => counts.Chosen;

    public int Moved => counts.Moved;

    public int Resumed => counts.Resumed;

    public int NotSent => counts.NotSent;

    public int NotDeleted => counts.NotDeleted;

    public int NotChosen => counts.NotChosen;

    public int NotRead => notRead;

    public string? Journal => journal;

    public int Failed => counts.Failed;

    /// <summary>SQS's move task in the same figures: what it was to move is chosen, what it did not move not
    /// sent (a move task runs only when the redrive is not a dry run).</summary>
    public static RedriveSummary Of(DeadLetterQueue dlq, RedriveRequest request, MoveTaskResult task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var left = (int)Math.Max(0, task.ToMove - task.Moved);
        var counts = new RedriveCounts
        {
            Chosen = (int)task.ToMove,
            Moved = (int)task.Moved,
            NotSent = task.Completed ? 0 : Math.Max(left, 1),
        };
        return new RedriveSummary(dlq, request, DlqRedriveCommand.MoveTaskMethod, counts, notRead: 0, journal: null);
    }

    /// <summary>The summary line of text mode.</summary>
    public string Text()
    {
        if (DryRun)
        {
            return $"dry run: would move {Chosen} message(s) ({Selection}) from {DeadLetterQueue} to {SourceQueue}; "
                + $"{NotChosen} other(s) would stay; nothing was changed{NotReadText}";
        }

        var resumed = Resumed > 0 ? $", {Resumed} more deleted that an earlier run had sent" : string.Empty;
        var failed = Failed > 0 ? $"; {Failed} not moved" : string.Empty;
        var journalText = Journal is null ? string.Empty : $"; journal {Journal}";
        return $"moved {Moved} message(s) ({Selection}, {Method}) from {DeadLetterQueue} to "
            + $"{SourceQueue}{resumed}{failed}; {NotChosen} not chosen stay in the DLQ{NotReadText}{journalText}";
    }

    private string NotReadText =>
        NotRead > 0 ? $"; about {NotRead} not read (over --max, or behind a FIFO group's first message)" : string.Empty;
}
