using System.Text.Json;

namespace RunsFleet.Cli.Dlq;

/// <summary>What a send-then-delete redrive did, one JSON line per step and message, flushed to disk
/// after each batch call: <c>{"step":"sent","messageId":ID,"at":...}</c> once SQS accepted the
/// copy in the source queue, <c>{"step":"deleted",...}</c> once the DLQ copy is gone. A re-run
/// reads it and deletes a message the journal says was sent without sending it again, so an
/// interrupted redrive resumes without doubling anything. The one window it cannot close is a
/// crash inside the send call itself (SQS accepted, the "sent" line not yet written): that
/// message is sent again on the re-run, which is harmless — on FIFO the deduplication id
/// derived from the DLQ message id drops the copy within 5 minutes, and otherwise the bridge's
/// workflow id (from the content: job and instance, or the sweep) makes it a duplicate.</summary>
internal sealed class RedriveJournal : IDisposable
{
    public const string Sent = "sent";
    public const string Deleted = "deleted";

    private readonly HashSet<string> _sent;
    private readonly int _deleted;
    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;

    private RedriveJournal(string path, HashSet<string> sent, int deleted, FileStream file, TimeProvider time)
    {
        Path = path;
        _sent = sent;
        _deleted = deleted;
        _file = file;
        _writer = new StreamWriter(file) { AutoFlush = false };
        _time = time;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Messages an earlier run sent and did not get to delete.</summary>
    public int Unfinished => _sent.Count - _deleted;

    /// <summary>The default journal: the current directory, named for the dead-letter queue.</summary>
    public static string DefaultPath(DeadLetterQueue dlq)
    {
        ArgumentNullException.ThrowIfNull(dlq);
        return System.IO.Path.Combine(Directory.GetCurrentDirectory(), $"runs-fleet-redrive-{dlq.Name}.jsonl");
    }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> and reads what earlier runs did.</summary>
    public static RedriveJournal Open(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(full))
        {
            foreach (var line in File.ReadLines(full))
            {
                if (Read(line) is { } entry)
                {
                    // A deleted message was sent before; either way it must never be sent again.
                    sent.Add(entry.MessageId);
                    if (entry.Step == Deleted)
                    {
                        deleted.Add(entry.MessageId);
                    }
                }
            }
        }

        var file = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new RedriveJournal(full, sent, deleted.Count, file, time);
    }

    /// <summary>True when an earlier run (or this one) sent the message to the source queue.</summary>
    public bool WasSent(string messageId) => _sent.Contains(messageId);

    /// <summary>Appends one line per message for <paramref name="step"/> and flushes it to disk.</summary>
    public void Record(string step, IEnumerable<DlqMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var at = _time.GetUtcNow();
        foreach (var message in messages)
        {
            _writer.WriteLine(JsonSerializer.Serialize(new JournalEntry(step, message.MessageId, at), JournalJson));
            _sent.Add(message.MessageId);
        }

        _writer.Flush();
        _file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }

    // A line cut short by a crash is skipped: its message is then in the one residual window above.
    private static JournalEntry? Read(string line)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<JournalEntry>(line, JournalJson);
            return entry is { MessageId.Length: > 0, Step: Sent or Deleted } ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions JournalJson = new(JsonSerializerDefaults.Web);

    private sealed record JournalEntry(string Step, string MessageId, DateTimeOffset At);
}
