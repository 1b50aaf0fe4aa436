using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using RunsFleet.Hosting.Telemetry;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>Both hosts' console format: JSON with scopes off a terminal, one readable line on one.</summary>
public sealed class ConsoleLogFormatTests
{
    [Fact]
    public void Off_a_terminal_the_console_writes_json_with_scopes_and_utc_timestamps()
    {
        using var services = new ServiceCollection().AddLogging(b => b.AddRunsFleetConsole(json: true)).BuildServiceProvider();

        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        var json = services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.True(json.IncludeScopes);
        Assert.True(json.UseUtcTimestamp);
        Assert.False(json.JsonWriterOptions.Indented);
    }

    [Fact]
    public void On_a_terminal_the_console_writes_single_readable_lines()
    {
        using var services = new ServiceCollection().AddLogging(b => b.AddRunsFleetConsole(json: false)).BuildServiceProvider();

        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.True(services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.SingleLine);
    }
}
