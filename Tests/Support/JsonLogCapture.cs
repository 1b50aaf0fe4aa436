using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using RunsFleet.Hosting.Telemetry;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Log lines exactly as the hosts write them when stdout is not a terminal: the console formatter
/// and options <see cref="ConsoleLogFormat.AddRunsFleetConsole"/> registers, rendering into memory
/// instead of the process's stdout (which every test shares).
/// </summary>
public sealed class JsonLogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ServiceProvider _services;
    private readonly ConsoleFormatter _formatter;
    private readonly StringWriter _output = new();
    private readonly Lock _lock = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public JsonLogCapture()
    {
        _services = new ServiceCollection().AddLogging(b => b.AddRunsFleetConsole(json: true)).BuildServiceProvider();
        var formatterName = _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleLoggerOptions>>().Value.FormatterName;
        _formatter = _services.GetServices<ConsoleFormatter>().Single(f => f.Name == formatterName);
        Factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(this));
    }

    /// <summary>Loggers writing into this capture.</summary>
    public ILoggerFactory Factory { get; }

    /// <summary>The lines written so far, each parsed as JSON (throws if one is not a JSON object on one line).</summary>
    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
            }
        }
    }

    /// <summary>Every property of every scope of <paramref name="line"/> (the JSON console formatter writes one object per scope).</summary>
    public static Dictionary<string, string?> ScopeFields(JsonElement line) =>
        line.GetProperty("Scopes").EnumerateArray()
            .Where(scope => scope.ValueKind == JsonValueKind.Object)
            .SelectMany(scope => scope.EnumerateObject())
            .Where(p => p.Name != "Message" && p.Name != "{OriginalFormat}")
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(), StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        Factory.Dispose();
        _services.Dispose();
    }

    private sealed class Logger(JsonLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var line = new StringWriter();
            capture._formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), capture._scopes, line);
            lock (capture._lock)
            {
                capture._output.Write(line.ToString());
            }
        }
    }
}
