using System.CommandLine;
using System.Globalization;
using RunsFleet.Cli.Common;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Cli.Dlq;

/// <summary>`dlq list|show|redrive`: the bridge's dead-letter queues, read without losing anything.</summary>
internal static class DlqCommands
{
    /// <summary>Most messages a command reads unless --max says otherwise.</summary>
    public const int DefaultMax = 1000;

    public static Command Build(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dlq = new Command("dlq",
            "The dead-letter queues of the termination and housekeeping queues: what is in them and why, and moving "
            + "messages back.");
        dlq.Subcommands.Add(DlqListCommand.Build(context));
        dlq.Subcommands.Add(DlqShowCommand.Build(context));
        dlq.Subcommands.Add(DlqRedriveCommand.Build(context));
        return dlq;
    }

    /// <summary>--queue termination|housekeeping (the queue whose DLQ to work on).</summary>
    public static Option<BridgeQueue> QueueOption()
    {
        // No DefaultValueFactory: help would print it as the enum spells it; unset is Termination, the first value.
        var queue = new Option<BridgeQueue>("--queue", "-q")
        {
            Description = "termination (the default: RUNS_FLEET_TERMINATION_QUEUE_URL) or housekeeping "
                + "(RUNS_FLEET_HOUSEKEEPING_QUEUE_URL); the DLQ is the one its RedrivePolicy names",
            HelpName = "termination|housekeeping",
        };
        queue.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "termination", "housekeeping");
        return queue;
    }

    /// <summary>--max N (messages read at most).</summary>
    public static Option<int> MaxOption()
    {
        return new Option<int>("--max")
        {
            Description = "read at most this many messages",
            DefaultValueFactory = _ => DefaultMax,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1)
                {
                    return max;
                }

                result.AddError($"--max must be a whole number of at least 1, got '{text}'");
                return DefaultMax;
            },
        };
    }

    /// <summary>--reason valid|CODE (any case), canonical as the docs spell it: valid or a rejection code.</summary>
    public static Option<string?> ReasonOption(string description)
    {
        string[] reasons = [DlqVerdict.Valid, .. Enum.GetNames<RejectionCode>()];
        var reason = new Option<string?>("--reason", "-r")
        {
            Description = description,
            HelpName = "valid|CODE",
            
            // The canonical spelling; a value not among them is reported by AcceptOnlyFromAmong.
            CustomParser = result => reasons.FirstOrDefault(
                r => string.Equals(r, result.Tokens[0].Value, StringComparison.OrdinalIgnoreCase)),
        };
        reason.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, reasons);
        return reason;
    }

    /// <summary>The time as the CLI prints it (UTC, seconds).</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}

/// <summary>What one read of a dead-letter queue found; every message was handed back.</summary>
/// <param name="Queue">The dead-letter queue.</param>
/// <param name="Messages">The messages read, oldest read first.</param>
/// <param name="NotRead">Visible messages left unread (over --max, or behind a held message of the same FIFO
/// group).</param>
internal sealed record DlqSnapshot(DeadLetterQueue Queue, IReadOnlyList<DlqMessage> Messages, int NotRead)
{
    /// <summary>Reads up to <paramref name="max"/> messages of the DLQ of <paramref name="queue"/> and hands them all
    /// back.</summary>
    public static async Task<DlqSnapshot> ReadAsync(CliContext context, BridgeQueue queue, int max,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sourceUrl = DeadLetterQueue.RequireSourceUrl(context, queue);
        var sqs = context.Sqs();
        var classifier = DlqClassifier.For(queue, context);
        var dlq = await DeadLetterQueue.ResolveAsync(sqs, queue, sourceUrl, cancellationToken).ConfigureAwait(false);
        var reader = new DlqReader(sqs, dlq, classifier, context.Error);
        await using (reader.ConfigureAwait(false))
        {
            var messages = await reader.ReadAsync(max, cancellationToken).ConfigureAwait(false);
            var notRead = await reader.VisibleCountAsync(cancellationToken).ConfigureAwait(false);
            return new DlqSnapshot(dlq, messages, notRead);
        }
    }

    /// <summary>The line saying what was read, e.g. "7 messages read from X (dead-letter queue of Y, FIFO); all handed
    /// back".</summary>
    public string Headline(string? filter = null) =>
        $"{Messages.Count} message(s) read from {Queue.Name} (dead-letter queue of {Queue.SourceName}, "
            + $"{(Queue.IsFifo ? "FIFO" : "standard")})"
        + (filter is null ? string.Empty : $", {filter}")
        + "; all handed back";

    /// <summary>The warning when messages were left unread, or null.</summary>
    public string? NotReadNote(int max) => NotRead == 0
        ? null
        : $"about {NotRead} more not read: over --max {max}, or (FIFO) behind a message of the same group; raise "
            + $"--max or run again after a redrive";
}
