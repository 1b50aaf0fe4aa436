using System.CommandLine;
using Amazon.Runtime;
using RunsFleet.Cli.Common;
using RunsFleet.Hosting;
using Temporalio.Exceptions;

namespace RunsFleet.Cli;

/// <summary>The runs-fleet operator CLI: parses, runs one command, and turns every failure into one
/// line on stderr and its own exit code (<see cref="ExitCodes"/>).</summary>
internal static class CliApp
{
    /// <summary>The global --output option's name.</summary>
    public const string OutputOption = "--output";

    /// <summary>Runs the command line <paramref name="args"/> against <paramref name="context"/>; returns the exit
    /// code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        var stdout = context.Console.Profile.Out.Writer;
        if (parse.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"runs-fleet: {ErrorLine.Usage(parse)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = stdout, Error = context.Error,
                    EnableDefaultExceptionHandler = false },
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
    internal static (int Code, string Message) Explain(Exception e)
    {
        var (code, message) = e switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            OperationCanceledException =>
                (ExitCodes.Interrupted, "interrupted; what was done so far stays done, "
                    + "run the command again to continue"),
            RpcException { Code: RpcException.StatusCode.NotFound } rpc =>
                (ExitCodes.NotFound, $"Temporal: not found: {rpc.Message}"),
            RpcException rpc => (ExitCodes.TemporalError, $"Temporal refused the call ({rpc.Code}): {rpc.Message}"),
            AmazonServiceException aws when IsMissingQueue(aws) =>
                (ExitCodes.NotFound, $"AWS {aws.ErrorCode}: {aws.Message}"),
            AmazonServiceException aws =>
                (ExitCodes.AwsError, $"AWS {aws.ErrorCode ?? aws.StatusCode.ToString()}: {aws.Message}"),
            AmazonClientException aws when aws.Message.Contains("RegionEndpoint", StringComparison.Ordinal) =>
                (ExitCodes.AwsError, $"AWS: no region: set AWS_REGION (or a profile with a region) ({aws.Message})"),
            AmazonClientException aws => (ExitCodes.AwsError, $"AWS: {aws.Message}"),

            // The AWS SDK lets the HTTP client's failure through when no connection could be made or kept.
            HttpRequestException http => (ExitCodes.AwsError, $"AWS: connection failed: {http.Message}"),
            TemporalException temporal => (ExitCodes.TemporalError, $"Temporal: {temporal.Message}"),
            _ => (ExitCodes.Failure, $"{e.GetType().Name}: {e.Message}"),
        };
        return (code, ErrorLine.Of(message));
    }

    private static bool IsMissingQueue(AmazonServiceException e) =>
        e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist"
            or "NoSuchBucket" or "NoSuchKey";
}
