using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RunsFleet.Cli.Common;

/// <summary>One command's way of answering: rich (a terminal: tables, colours, live progress), plain
/// text (redirected: the same content, no colours, no redraws) or one JSON document
/// (<c>--output json</c>, for scripts). Errors never come through here: they go to stderr.</summary>
internal sealed class CliOutput
{
    /// <summary>The options every JSON answer is written with.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly IAnsiConsole _console;

    public CliOutput(IAnsiConsole console, OutputFormat format, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Format = format == OutputFormat.Auto ? (isTerminal ? OutputFormat.Auto : OutputFormat.Text) : format;
    }

    /// <summary>Auto (rich), Text or Json, after resolving Auto against the terminal.</summary>
    public OutputFormat Format { get; }

    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>True on a terminal: live progress and colours are drawn.</summary>
    public bool IsRich => Format == OutputFormat.Auto;

    /// <summary>The console, for live displays (only when <see cref="IsRich"/>).</summary>
    public IAnsiConsole Console => _console;

    /// <summary>Writes <paramref name="value"/> as the command's one JSON document.</summary>
    public void WriteJson<T>(T value) => _console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Writes <paramref name="json"/> as the command's JSON document when that is asked for, else
    /// runs <paramref name="text"/>.</summary>
    public void Answer<T>(T json, Action text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsJson)
        {
            WriteJson(json);
        }
        else
        {
            text();
        }
    }

    /// <summary>Writes one line of text as is (no markup, never wrapped).</summary>
    public void Line(string text = "") => _console.Profile.Out.Writer.WriteLine(text);

    /// <summary>Renders a widget (table, chart); plain text when not on a terminal.</summary>
    public void Render(IRenderable renderable) => _console.Write(renderable);

    /// <summary>A table in the house style: rounded on a terminal, ASCII when plain.</summary>
    public Table Table(params string[] columns)
    {
        var table = new Table().Border(IsRich ? TableBorder.Rounded : TableBorder.Ascii);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        return table;
    }
}
