using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Captures log records of the code under test (Microsoft.Extensions.Diagnostics.Testing's
/// FakeLogger underneath), so tests can assert on levels, messages and template values:
/// <code>
/// var logs = new LogCapture();
/// var activities = new JobActivities(db, options, logs.Logger&lt;JobActivities&gt;(), time);
/// ...
/// var warning = logs.Single(LogLevel.Warning, "already complete");
/// Assert.Equal("42", warning.GetStructuredStateValue("JobId"));
/// </code>
/// Use <see cref="Factory"/> where an ILoggerFactory is needed (hosts, Temporal options).
/// </summary>
public sealed class LogCapture : IDisposable
{
    private readonly Lazy<ILoggerFactory> _factory;

    /// <summary>Creates an empty capture.</summary>
    public LogCapture()
    {
        _factory = new Lazy<ILoggerFactory>(() => LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new FakeLoggerProvider(Collector))));
    }

    /// <summary>The underlying collector (all loggers of this capture write into it).</summary>
    public FakeLogCollector Collector { get; } = new();

    /// <summary>A logger for <typeparamref name="T"/> writing into this capture.</summary>
    public ILogger<T> Logger<T>() => new FakeLogger<T>(Collector);

    /// <summary>A logger factory writing into this capture (every level, every category).</summary>
    public ILoggerFactory Factory => _factory.Value;

    /// <summary>All records so far, oldest first.</summary>
    public IReadOnlyList<FakeLogRecord> Records => Collector.GetSnapshot();

    /// <summary>Formatted messages so far, oldest first.</summary>
    public IReadOnlyList<string> Messages => [.. Records.Select(r => r.Message)];

    /// <summary>Records at exactly <paramref name="level"/>.</summary>
    public IReadOnlyList<FakeLogRecord> At(LogLevel level) => [.. Records.Where(r => r.Level == level)];

    /// <summary>Records at <paramref name="level"/> whose formatted message contains <paramref name="text"/> (ordinal).</summary>
    public IReadOnlyList<FakeLogRecord> Matching(LogLevel level, string text) =>
        [.. Records.Where(r => r.Level == level && r.Message.Contains(text, StringComparison.Ordinal))];

    /// <summary>The only record at <paramref name="level"/> containing <paramref name="text"/>; throws listing all records otherwise.</summary>
    public FakeLogRecord Single(LogLevel level, string text)
    {
        var matches = Matching(level, text);
        if (matches.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected one {level} record containing \"{text}\" but found {matches.Count}. Records:\n" +
                string.Join('\n', Records.Select(r => $"  [{r.Level}] {r.Category}: {r.Message}")));
        }

        return matches[0];
    }

    /// <summary>Forgets all records.</summary>
    public void Clear() => Collector.Clear();

    /// <summary>Disposes the factory if it was created.</summary>
    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }
    }
}
