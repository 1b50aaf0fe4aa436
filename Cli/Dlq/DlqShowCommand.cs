using RunsFleet.Hosting;
using System.CommandLine;
using Amazon.SQS.Model;
using RunsFleet.Cli.Common;

namespace RunsFleet.Cli.Dlq;

/// <summary>`dlq show [message-id] [--reason CODE]`: the dead-lettered messages themselves; nothing is
/// deleted.</summary>
internal static class DlqShowCommand
{
    /// <summary>Characters of a body shown in text mode (JSON shows it whole).</summary>
    public const int TextBodyChars = 160;

    public static Command Build(CliContext context)
    {
        var queue = DlqCommands.QueueOption();
        var max = DlqCommands.MaxOption();
        var reason = DlqCommands.ReasonOption("only messages of this reason: valid or a rejection code (see dlq list)");
        var id = new Argument<string?>("message-id") { Description = "one message, by its SQS message id",
            Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("show",
            "Show dead-lettered messages: id, reason and every problem, group, receive count, sent time and body.")
        {
            id,
            queue,
            max,
            reason,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliApp.Output(parse, context);
            var wantedReason = parse.GetValue(reason);
            var wantedId = parse.GetValue(id);
            var snapshot = await DlqSnapshot.ReadAsync(context, parse.GetValue(queue), parse.GetValue(max),
                cancellationToken).ConfigureAwait(false);
            var shown = snapshot.Messages
                .Where(m => wantedId is null || m.MessageId == wantedId)
                .Where(m => wantedReason is null || m.Verdict.Reason == wantedReason)
                .ToList();
            if (wantedId is not null && shown.Count == 0)
            {
                throw new CliException(
                    ExitCodes.NotFound,
                    $"message {wantedId} is not among the {snapshot.Messages.Count} message(s) read from "
                        + snapshot.Queue.Name
                        + (wantedReason is null ? string.Empty : $" with reason {wantedReason}"));
            }

            if (output.IsJson)
            {
                output.WriteJson(new DlqShowReport(snapshot.Queue.Name, snapshot.Messages.Count, snapshot.NotRead,
                    [.. shown.Select(m => new DlqShownMessage(m))]));
                return ExitCodes.Success;
            }

            output.Line(snapshot.Headline($"{shown.Count} "
                + $"shown{(wantedReason is null ? string.Empty : $" (reason {wantedReason})")}"));
            foreach (var message in shown)
            {
                output.Line();
                output.Line($"{message.MessageId}  {message.Verdict.Reason}  group {message.GroupId ?? "-"}  receives "
                    + $"{message.ReceiveCount}  sent {DlqCommands.Time(message.SentAt)}");
                if (message.Verdict.Detail is { } detail)
                {
                    output.Line($"  {detail.ReplaceLineEndings(" ")}");
                }

                output.Line($"  {Truncated(message.Body)}");
            }

            if (snapshot.NotReadNote(parse.GetValue(max)) is { } note)
            {
                output.Line();
                output.Line(note);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Truncated(string body)
    {
        var line = body.ReplaceLineEndings(" ");
        return line.Length <= TextBodyChars ? line : $"{line[..TextBodyChars]}… ({line.Length} chars; --output json "
            + $"shows it whole)";
    }
}

/// <summary>`dlq show --output json`.</summary>
internal sealed record DlqShowReport(string DeadLetterQueue, int Read, int NotRead,
    IReadOnlyList<DlqShownMessage> Messages);

/// <summary>One message as `dlq show --output json` writes it (the body whole).</summary>
internal sealed class DlqShownMessage(DlqMessage message)
{
    public string MessageId => message.MessageId;

    public string Reason => message.Verdict.Reason;

    public string? Detail => message.Verdict.Detail;

    public string? GroupId => message.GroupId;

    public string? DeduplicationId => message.DeduplicationId;

    public int ReceiveCount => message.ReceiveCount;

    public DateTimeOffset? SentAt => message.SentAt;

    public IReadOnlyDictionary<string, string?> Attributes =>
        message.Attributes.ToDictionary(a => a.Key, a => AttributeText(a.Value), StringComparer.Ordinal);

    public string Body => message.Body;

    private static string? AttributeText(MessageAttributeValue value) =>
        value.StringValue ?? (value.BinaryValue is { } binary ? Convert.ToBase64String(binary.ToArray()) : null);
}
