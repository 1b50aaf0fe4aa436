using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace RunsFleet.Cli.Common;

/// <summary>
/// Every failure is one line on stderr: a failed parse, and any message, including the Rust debug dump in which
/// the Temporal SDK's core reports a transport failure.
/// </summary>
internal static partial class ErrorLine
{
    /// <summary>A failed parse: the errors that matter (an unknown word, not also "Required command was not provided"),
    /// each folded onto the line and led by the option or argument it is about, then where to read the usage.</summary>
    public static string Usage(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var unmatched = parse.UnmatchedTokens.Select(t => $"'{t}'").ToList();
        var errors = parse.Errors
            .Where(e => unmatched.Count == 0 || unmatched.Any(t => e.Message.Contains(t, StringComparison.Ordinal)))
            .Select(Describe);
        var command = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            command.Insert(0, result.Command.Name);
        }

        return $"{string.Join("; ", errors)} (see 'runs-fleet {string.Join(' ', [.. command, "--help"])}')";
    }

    /// <summary><paramref name="text"/> on one line. Of a Rust debug dump (<c>tonic::transport::Error(Transport,
    /// ConnectError(...))</c>, <c>Status { code, message, source }</c>) it keeps what an operator can read: the
    /// text before it and the words quoted inside it ("tcp connect error: Connection refused").</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = LineBreak().Replace(text, " ").Trim();
        var dump = RustDebugDump().Match(line);
        if (!dump.Success)
        {
            return line;
        }

        var inside = line[dump.Index..];
        var words = Quoted().Matches(inside).Select(m => m.Groups[1].Value).Where(w => w.Length > 0).ToList();
        var cause = words.Count > 0 ? string.Join(": ", words)
            : RustErrorValue().Match(inside) is { Success: true } error ? error.Groups[1].Value
            : inside;
        return $"{line[..dump.Index].TrimEnd(' ', ':')}: {cause}";
    }

    // One parse error, led by its option or argument unless it names it, with "a whole number" where
    // System.CommandLine names the .NET type ("as expected type 'System.Nullable`1[System.Int32]'").
    private static string Describe(ParseError error)
    {
        var message = ExpectedType().Replace(Fold(error.Message), "(expected a whole number)");
        var name = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult a => a.Argument.Name,
            _ => null,
        };
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    // System.CommandLine lists the accepted values one per line ("Must be one of:\n\t'a'\n\t'b'"): 'a', 'b'.
    private static string Fold(string message) =>
        LineBreak().Replace(message, m => m.Index > 0 && message[m.Index - 1] == '\'' ? ", " : " ").Trim().TrimEnd('.');

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex LineBreak();

    // Every option and argument left to System.CommandLine's own converter is a number.
    [GeneratedRegex(@"as expected type 'System\.(Nullable`1\[System\.)?Int(32|64)\]?'")]
    private static partial Regex ExpectedType();

    // Where a Rust debug dump starts: a path such as tonic::transport::Error( or tonic's Status {.
    [GeneratedRegex(@"(\w+::)+\w+\(|Status \{")]
    private static partial Regex RustDebugDump();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    // The last "error: X" of a dump without quoted words, e.g. error: InvalidMessage(InvalidContentType).
    [GeneratedRegex(@"error: (\w+(\(\w+\))?)(?!.*error: )")]
    private static partial Regex RustErrorValue();
}
