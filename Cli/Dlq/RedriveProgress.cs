using RunsFleet.Cli.Common;
using Spectre.Console;

namespace RunsFleet.Cli.Dlq;

/// <summary>How a redrive shows what it does: a live bar (rich), a line per message (text), nothing until the summary
/// (json).</summary>
internal abstract class RedriveProgress
{
    /// <summary><paramref name="count"/> more messages were chosen to move.</summary>
    public abstract void Expect(int count);

    /// <summary>A message is in the source queue and gone from the DLQ (<paramref name="resumed"/>: sent by an earlier
    /// run, deleted now).</summary>
    public abstract void Moved(DlqMessage message, bool resumed);

    /// <summary>A dry run would move the message.</summary>
    public abstract void WouldMove(DlqMessage message);

    /// <summary>A message could not be moved now.</summary>
    public abstract void Failed(DlqMessage message, string why);

    /// <summary>An SQS move task's progress.</summary>
    public abstract void MoveTask(long moved, long toMove);

    /// <summary>One line worth telling (shown after the live bar on a terminal).</summary>
    public abstract void Note(string text);

    /// <summary>Runs <paramref name="work"/> with the progress display of <paramref name="output"/>.</summary>
    public static async Task<T> RunAsync<T>(CliOutput output, string title, Func<RedriveProgress, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(work);
        if (output.IsJson)
        {
            return await work(new Lines(null)).ConfigureAwait(false);
        }

        if (!output.IsRich)
        {
            return await work(new Lines(output)).ConfigureAwait(false);
        }

        var notes = new List<string>();
        try
        {
            return await output.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new RemainingTimeColumn())
                .StartAsync(async context => await work(new Bar(context.AddTask(Markup.Escape(title), maxValue: 1),
                    notes)).ConfigureAwait(false))
                .ConfigureAwait(false);
        }
        finally
        {
            foreach (var note in notes)
            {
                output.Line(note);
            }
        }
    }

    /// <summary>Plain text (one line per event) or, with no output, json's silence.</summary>
    private sealed class Lines(CliOutput? output) : RedriveProgress
    {
        public override void Expect(int count)
        {
        }

        public override void Moved(DlqMessage message, bool resumed) =>
            output?.Line(resumed
                ? $"deleted {message.MessageId} ({message.Verdict.Reason}): sent by an earlier run"
                : $"moved {message.MessageId} ({message.Verdict.Reason})");

        public override void WouldMove(DlqMessage message) =>
            output?.Line($"would move {message.MessageId} ({message.Verdict.Reason})");

        public override void Failed(DlqMessage message, string why) =>
            output?.Line($"not moved {message.MessageId}: {why}");

        public override void MoveTask(long moved, long toMove) => output?.Line($"move task: {moved} of {toMove} moved");

        public override void Note(string text) => output?.Line(text);
    }

    /// <summary>A Spectre progress bar over the chosen messages.</summary>
    private sealed class Bar(ProgressTask task, List<string> notes) : RedriveProgress
    {
        private long _expected;

        public override void Expect(int count)
        {
            _expected += count;
            task.MaxValue = Math.Max(1, _expected);
        }

        public override void Moved(DlqMessage message, bool resumed) => task.Increment(1);

        public override void WouldMove(DlqMessage message) => task.Increment(1);

        public override void Failed(DlqMessage message, string why) =>
            notes.Add($"not moved {message.MessageId}: {why}");

        public override void MoveTask(long moved, long toMove)
        {
            task.MaxValue = Math.Max(1, toMove);
            task.Value = moved;
        }

        public override void Note(string text) => notes.Add(text);
    }
}
