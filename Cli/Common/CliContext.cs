using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using RunsFleet.Hosting;
using Spectre.Console;
using Temporalio.Client;

namespace RunsFleet.Cli.Common;

/// <summary>Everything a command reaches outside itself: the consoles, the environment, and the
/// clients (created on first use, so `--help` or a usage error needs no connection). Tests
/// build one over Spectre's TestConsole, a fake Temporal client and emulator-backed AWS clients.</summary>
internal sealed class CliContext
{
    /// <summary>Where answers are written (stdout).</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Where the one-line errors go (stderr).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when stdout is a terminal: rich output and live progress; otherwise plain text.</summary>
    public required bool IsTerminal { get; init; }

    /// <summary>The environment variables (queue URLs, report bucket, TEMPORAL_*).</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>Connects to Temporal (TEMPORAL_* settings through the SDK's env config).</summary>
    public required Func<CancellationToken, Task<ITemporalClient>> ConnectTemporalAsync { get; init; }

    /// <summary>The SQS client (standard credential chain, AWS_REGION, AWS_ENDPOINT_URL[_SQS]).</summary>
    public required Func<IAmazonSQS> Sqs { get; init; }

    /// <summary>The S3 client (standard credential chain, AWS_REGION, AWS_ENDPOINT_URL[_S3]).</summary>
    public required Func<IAmazonS3> S3 { get; init; }

    /// <summary>The DynamoDB client (standard credential chain, AWS_REGION, AWS_ENDPOINT_URL[_DYNAMODB]).</summary>
    public required Func<IAmazonDynamoDB> Dynamo { get; init; }

    /// <summary>The clock (progress timing, redrive journal timestamps).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often --watch asks a running sweep for its progress.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The trimmed value of <paramref name="variable"/>, or null when unset or blank.</summary>
    public string? Variable(string variable) =>
        Environment.TryGetValue(variable, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The context of a real process: its console, environment and AWS/Temporal settings.</summary>
    public static CliContext FromProcess()
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        var environment = EnvironmentSettingsReader.ProcessEnvironment();
        return new CliContext
        {
            Console = console,
            Error = System.Console.Error,
            IsTerminal = !redirected,
            Environment = environment,
            ConnectTemporalAsync = ct => ConnectAsync(environment, ct),
            Sqs = () => new AmazonSQSClient(),
            S3 = () => new AmazonS3Client(),
            Dynamo = () => new AmazonDynamoDBClient(),
        };
    }

    /// <summary>Connects with the TEMPORAL_* variables of <paramref name="environment"/>; fails with 8 or 5.</summary>
    internal static async Task<ITemporalClient> ConnectAsync(
        IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var reader = new EnvironmentSettingsReader(environment);
        var options = TemporalConnectionSettings.Load(reader);
        if (reader.Problems.Count > 0)
        {
            throw new CliException(ExitCodes.InvalidConfiguration, string.Join("; ", reader.Problems));
        }

        try
        {
            return await TemporalClient.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new CliException(
                ExitCodes.TemporalError,
                $"cannot reach Temporal at {options.TargetHost} (namespace {options.Namespace}): {e.Message}",
                e);
        }
    }
}
