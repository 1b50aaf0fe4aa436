using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using RunsFleet.Cli.Common;
using RunsFleet.Hosting;
using Temporalio.Exceptions;

namespace RunsFleet.Cli;

/// <summary>
/// The runs-fleet operator CLI: parses, runs one command, and turns every failure into one
/// line on stderr and its own exit code (<see cref="ExitCodes"/>).
/// </summary>
internal static partial class CliApp
{
    /// <summary>The global --output option's name.</summary>
    public const string OutputOption = "--output";

    /// <summary>Runs the command line <paramref name="args"/> against <paramref name="context"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        var stdout = context.Console.Profile.Out.Writer;
        if (parse.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"runs-fleet: {UsageError(parse)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = stdout, Error = context.Error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (code, message) = Explain(e);
            await context.Error.WriteLineAsync($"runs-fleet: {message}").ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>The root command with every command group.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Operate runs-fleet: sweeps, pool reports, job and instance runs, dead-letter "
            + "queues, schedules, the preflight (doctor).");
        // No DefaultValueFactory: help would print it as the enum spells it (Auto); unset is Auto, the first value.
        var output = new Option<OutputFormat>(OutputOption, "-o")
        {
            Description = "auto (the default: rich on a terminal, plain text otherwise), text, or json",
            HelpName = "auto|text|json",
            Recursive = true,
        };
        output.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "auto", "text", "json");
        root.Options.Add(output);
        foreach (var command in CliCommands.All(context))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>The output of a command invocation, from its --output option and the terminal.</summary>
    public static CliOutput Output(ParseResult parse, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(context);
        return new CliOutput(context.Console, parse.GetValue<OutputFormat>(OutputOption), context.IsTerminal);
    }

    /// <summary>Exit code and one-line message for a failure.</summary>
    internal static (int Code, string Message) Explain(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted; what was done so far stays done, run the command again to continue"),
        RpcException { Code: RpcException.StatusCode.NotFound } rpc => (ExitCodes.NotFound, $"Temporal: not found: {OneLine(rpc.Message)}"),
        RpcException rpc => (ExitCodes.TemporalError, $"Temporal refused the call ({rpc.Code}): {OneLine(rpc.Message)}"),
        AmazonServiceException aws when IsMissingQueue(aws) => (ExitCodes.NotFound, $"AWS {aws.ErrorCode}: {OneLine(aws.Message)}"),
        AmazonServiceException aws => (ExitCodes.AwsError, $"AWS {aws.ErrorCode ?? aws.StatusCode.ToString()}: {OneLine(aws.Message)}"),
        AmazonClientException aws when aws.Message.Contains("RegionEndpoint", StringComparison.Ordinal) =>
            (ExitCodes.AwsError, $"AWS: no region: set AWS_REGION (or a profile with a region) ({OneLine(aws.Message)})"),
        AmazonClientException aws => (ExitCodes.AwsError, $"AWS: {OneLine(aws.Message)}"),
        HttpRequestException http => (ExitCodes.AwsError, $"AWS: connection failed: {OneLine(http.Message)}"),
        TemporalException temporal => (ExitCodes.TemporalError, $"Temporal: {OneLine(temporal.Message)}"),
        _ => (ExitCodes.Failure, $"{e.GetType().Name}: {OneLine(e.Message)}"),
    };

    private static bool IsMissingQueue(AmazonServiceException e) =>
        e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist" or "NoSuchBucket" or "NoSuchKey";

    /// <summary>
    /// One line for a failed parse: the errors that matter (an unknown word, not also "Required command was
    /// not provided"), each folded onto the line, and where to read the usage.
    /// </summary>
    internal static string UsageError(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var unmatched = parse.UnmatchedTokens;
        var errors = parse.Errors
            .Where(e => unmatched.Count == 0 || unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
            .Select(Describe);
        var command = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            command.Insert(0, result.Command.Name);
        }

        return $"{string.Join("; ", errors)} (see 'runs-fleet {string.Join(' ', [.. command, "--help"])}')";
    }

    // The error on one line, led by the option or argument it is about unless it names it, with "a whole number"
    // where System.CommandLine names the .NET type ("as expected type 'System.Nullable`1[System.Int32]'").
    private static string Describe(ParseError error)
    {
        var message = ExpectedType().Replace(Fold(error.Message), "(expected a whole number)");
        var name = error.SymbolResult switch { OptionResult o => o.Option.Name, ArgumentResult a => a.Argument.Name, _ => null };
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{name}: {message}";
    }

    // Every option and argument the CLI parses with System.CommandLine's own converter is a number.
    [GeneratedRegex(@"as expected type 'System\.(Nullable`1\[System\.)?Int(32|64)\]?'")]
    private static partial Regex ExpectedType();

    /// <summary>
    /// <paramref name="text"/> on one line. The Temporal SDK's Rust core reports a transport failure as a debug
    /// dump (<c>tonic::transport::Error(Transport, ConnectError(...))</c>, <c>Status { code, message, source }</c>);
    /// what an operator needs from it is the text before it and the words quoted inside it.
    /// </summary>
    internal static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.ReplaceLineEndings(" ").Trim();
        var dump = RustDebugDump().Match(line);
        if (!dump.Success)
        {
            return line;
        }

        var words = Quoted().Matches(line[dump.Index..]).Select(m => m.Groups[1].Value).Where(w => w.Length > 0).ToList();
        var cause = words.Count > 0 ? string.Join(": ", words) : RustErrorValue().Match(line[dump.Index..]) is { Success: true } error
            ? error.Groups[1].Value
            : line[dump.Index..];
        return $"{line[..dump.Index].TrimEnd(' ', ':')}: {cause}";
    }

    // Where a Rust debug dump starts: a path such as tonic::transport::Error( or a Status { of tonic.
    [GeneratedRegex(@"(\w+::)+\w+\(|Status \{")]
    private static partial Regex RustDebugDump();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    // The last "error: X" of a dump without quoted words, e.g. error: InvalidMessage(InvalidContentType).
    [GeneratedRegex(@"error: (\w+(\(\w+\))?)(?!.*error: )")]
    private static partial Regex RustErrorValue();

    // Folds a message onto one line; System.CommandLine lists accepted values one per line ("one of:\n\t'a'\n\t'b'").
    private static string Fold(string message) =>
        LineBreak().Replace(message, m => m.Index > 0 && message[m.Index - 1] == '\'' ? ", " : " ").Trim().TrimEnd('.');

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex LineBreak();
}
