using RunsFleet.Hosting;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using RunsFleet.Cli;
using RunsFleet.Cli.Common;
using Spectre.Console;
using Spectre.Console.Testing;
using Temporalio.Client;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>What one CLI invocation produced.</summary>
/// <param name="ExitCode">The process exit code it would have.</param>
/// <param name="Output">Everything written to stdout.</param>
/// <param name="Error">Everything written to stderr.</param>
internal sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the real CLI (parsing, commands, error mapping) in-process over Spectre's TestConsole,
/// with the Temporal client and AWS clients the test gives; a client the test did not give
/// fails the command the way an unreachable service would.
/// </summary>
internal sealed class CliHarness
{
    public ITemporalClient? Temporal { get; init; }

    public IAmazonSQS? Sqs { get; init; }

    public IAmazonS3? S3 { get; init; }

    public IAmazonDynamoDB? Dynamo { get; init; }

    /// <summary>Environment variables the commands see (queue URLs, report bucket).</summary>
    public Dictionary<string, string?> Environment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>True to run as on a terminal (rich output, live progress).</summary>
    public bool IsTerminal { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs <paramref name="args"/>; the console is 160 columns wide.</summary>
    public async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<CliRun> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var console = new TestConsole().Width(160);
        if (IsTerminal)
        {
            console.Interactive();
        }

        using var error = new StringWriter();
        var context = Context(console, error);
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliRun(exitCode, console.Output, error.ToString());
    }

    /// <summary>The context the commands run in: <paramref name="console"/>, <paramref name="error"/> and the clients given.</summary>
    public CliContext Context(IAnsiConsole? console = null, TextWriter? error = null) => new()
    {
        Console = console ?? new TestConsole(),
        Error = error ?? TextWriter.Null,
        IsTerminal = IsTerminal,
        Environment = Environment,
        ConnectTemporalAsync = _ => Temporal is { } client
            ? Task.FromResult(client)
            : throw new CliException(ExitCodes.TemporalError, "cannot reach Temporal at localhost:7233 (namespace default): no client in this test"),
        Sqs = () => Sqs ?? throw new InvalidOperationException("no SQS client in this test"),
        S3 = () => S3 ?? throw new InvalidOperationException("no S3 client in this test"),
        Dynamo = () => Dynamo ?? throw new InvalidOperationException("no DynamoDB client in this test"),
        Time = Time,
        WatchInterval = WatchInterval,
    };
}
