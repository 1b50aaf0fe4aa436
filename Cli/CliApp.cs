using RunsFleet.Hosting;
using System.CommandLine;
using Amazon.Runtime;
using RunsFleet.Cli.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Cli;

/// <summary>
/// The runs-fleet operator CLI: parses, runs one command, and turns every failure into one
/// line on stderr and its own exit code (<see cref="ExitCodes"/>).
/// </summary>
internal static class CliApp
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
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"runs-fleet: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("runs-fleet: see 'runs-fleet --help'").ConfigureAwait(false);
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
        root.Options.Add(new Option<OutputFormat>(OutputOption, "-o")
        {
            Description = "auto (rich on a terminal, plain text otherwise), text, or json",
            DefaultValueFactory = _ => OutputFormat.Auto,
            HelpName = "auto|text|json",
            Recursive = true,
        });
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
        TemporalException temporal => (ExitCodes.TemporalError, $"Temporal: {OneLine(temporal.Message)}"),
        _ => (ExitCodes.Failure, $"{e.GetType().Name}: {OneLine(e.Message)}"),
    };

    private static bool IsMissingQueue(AmazonServiceException e) =>
        e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist" or "NoSuchBucket" or "NoSuchKey";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
