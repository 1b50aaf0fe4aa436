using RunsFleet.Hosting;
using System.CommandLine;
using System.Globalization;
using RunsFleet.Cli.Common;
using Spectre.Console;

namespace RunsFleet.Cli.Dlq;

/// <summary>`dlq list`: how many dead-lettered messages there are, per reason, and how old they are.</summary>
internal static class DlqListCommand
{
    public static Command Build(CliContext context)
    {
        var queue = DlqCommands.QueueOption();
        var max = DlqCommands.MaxOption();
        var command = new Command("list",
            "Count the dead-lettered messages per reason (the bridge's parser: valid, or its rejection code); nothing "
            + "is deleted.")
        {
            queue,
            max,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliApp.Output(parse, context);
            var snapshot = await DlqSnapshot.ReadAsync(context, parse.GetValue(queue), parse.GetValue(max),
                cancellationToken).ConfigureAwait(false);
            var report = new DlqListReport(snapshot);
            if (output.IsJson)
            {
                output.WriteJson(report);
                return ExitCodes.Success;
            }

            output.Line(snapshot.Headline());
            var table = output.Table("Reason", "Messages", "Oldest sent", "Newest sent");
            foreach (var reason in report.Reasons)
            {
                table.AddRow(
                    Markup.Escape(reason.Reason),
                    reason.Messages.ToString(CultureInfo.InvariantCulture),
                    DlqCommands.Time(reason.OldestSentAt),
                    DlqCommands.Time(reason.NewestSentAt));
            }

            table.AddRow("Total", report.Read.ToString(CultureInfo.InvariantCulture),
                DlqCommands.Time(report.OldestSentAt), DlqCommands.Time(report.NewestSentAt));
            output.Render(table);
            if (snapshot.NotReadNote(parse.GetValue(max)) is { } note)
            {
                output.Line(note);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>`dlq list --output json`.</summary>
internal sealed class DlqListReport(DlqSnapshot snapshot)
{
    public string Queue => snapshot.Queue.Queue.ToString().ToLowerInvariant();

    public string DeadLetterQueue => snapshot.Queue.Name;

    public string SourceQueue => snapshot.Queue.SourceName;

    public bool Fifo => snapshot.Queue.IsFifo;

    public int Read => snapshot.Messages.Count;

    public int NotRead => snapshot.NotRead;

    public IReadOnlyList<DlqReasonCount> Reasons { get; } = [.. snapshot.Messages
        .GroupBy(m => m.Verdict.Reason, StringComparer.Ordinal)
        .Select(g => new DlqReasonCount(g.Key, g.Count(), g.Min(m => m.SentAt), g.Max(m => m.SentAt)))
        .OrderByDescending(r => r.Reason == DlqVerdict.Valid)
        .ThenByDescending(r => r.Messages)
        .ThenBy(r => r.Reason, StringComparer.Ordinal)];

    public DateTimeOffset? OldestSentAt => snapshot.Messages.Min(m => m.SentAt);

    public DateTimeOffset? NewestSentAt => snapshot.Messages.Max(m => m.SentAt);
}

/// <summary>Messages of one reason.</summary>
internal sealed record DlqReasonCount(string Reason, int Messages, DateTimeOffset? OldestSentAt,
    DateTimeOffset? NewestSentAt);
