using System.Globalization;
using Microsoft.Extensions.Logging;
using RunsFleet.Benchmarks.Aws;
using RunsFleet.Benchmarks.Sqs;
using RunsFleet.Tests.Support;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// `bridge`: how close the SQS bridge comes to a plain receive+delete loop on the same fauxqs,
/// for a standard and a FIFO termination queue, with a simulated 20 ms workflow start, and how
/// many SQS requests it spends per message (issue 7, part 6).
/// </summary>
internal static class BridgeBenchmark
{
    public const string Name = "bridge";
    public const string Description = "SqsQueuePump vs a raw receive+delete loop on fauxqs, standard and FIFO (20 ms simulated starts)";

    private const string MessagesVariable = "BENCH_MESSAGES";
    private const int DefaultMessages = 20_000;
    private const int WarmUpMessages = 300;
    private const int MessagesPerPhaseLimit = 1_000_000;
    private static readonly TimeSpan StartLatency = TimeSpan.FromMilliseconds(20);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (MessageCount(args) is not { } messages)
        {
            await Console.Error.WriteLineAsync(
                $"usage: {Name} [--messages N]   (N from 100 to {MessagesPerPhaseLimit}; default {DefaultMessages}, or ${MessagesVariable})");
            return 2;
        }

        await using var fauxqs = await EmulatorProcess.StartAsync("fauxqs", EmulatorLaunch.Fauxqs, cancellationToken: cancellationToken);
        Console.WriteLine($"fauxqs on {fauxqs.ServiceUrl}; {messages} messages per phase; simulated start {StartLatency.TotalMilliseconds} ms; {Environment.ProcessorCount} cores");

        var counter = new AwsRequestCounter();
        using var admin = SqsClients.Uncounted(fauxqs.ServiceUrl);
        using var consumer = SqsClients.Counted(fauxqs.ServiceUrl, counter);
        var logs = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console => console.SingleLine = true));
        var phases = new PhaseRunner(admin, consumer, counter, logs);
        var failures = new List<string>();
        var rows = new List<ResultRow>();
        try
        {
            // Not reported: JIT, connection pools and fauxqs warm up here.
            var warmUp = await BenchmarkQueue.CreateAsync(admin, QueueKind.Standard, cancellationToken) with { Name = "warm-up" };
            await phases.RawAsync(warmUp, first: 0, WarmUpMessages, failures, cancellationToken);
            await phases.BridgeAsync(warmUp, first: MessagesPerPhaseLimit, WarmUpMessages, StartLatency, failures, cancellationToken);

            var series = 1L;
            foreach (var kind in new[] { QueueKind.Standard, QueueKind.Fifo })
            {
                var queue = await BenchmarkQueue.CreateAsync(admin, kind, cancellationToken);
                var raw = await phases.RawAsync(queue, first: ++series * MessagesPerPhaseLimit, messages, failures, cancellationToken);
                var bridge = await phases.BridgeAsync(queue, first: ++series * MessagesPerPhaseLimit, messages, StartLatency, failures, cancellationToken);
                rows.Add(new ResultRow(queue.Name, raw, bridge));
            }
        }
        finally
        {
            // Flushes the console logger, so its lines come before the results.
            logs.Dispose();
        }

        if (failures.Count > 0)
        {
            ReportFailures(failures);
            return 1;
        }

        ResultTable.Print(rows, Console.Out);
        return 0;
    }

    private static int? MessageCount(IReadOnlyList<string> args)
    {
        string? text = Environment.GetEnvironmentVariable(MessagesVariable);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--messages" && i + 1 < args.Count)
            {
                text = args[++i];
            }
            else
            {
                return null;
            }
        }

        if (string.IsNullOrEmpty(text))
        {
            return DefaultMessages;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 100 and <= MessagesPerPhaseLimit
            ? count
            : null;
    }

    private static void ReportFailures(List<string> failures)
    {
        var banner = new string('!', 78);
        Console.Error.WriteLine(banner);
        Console.Error.WriteLine("BRIDGE BENCHMARK INVALID: the figures are not reported because");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"  - {failure}");
        }

        Console.Error.WriteLine(banner);
    }
}

/// <summary>One consumer's phase: how many messages, how long, how many SQS requests.</summary>
internal sealed record PhaseResult(int Messages, TimeSpan Elapsed, RequestCounts Requests)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public double RequestsPerMessage => (double)Requests.Total / Messages;
}

/// <summary>A queue kind's two phases.</summary>
internal sealed record ResultRow(string Kind, PhaseResult Raw, PhaseResult Bridge)
{
    public double Ratio => Bridge.MessagesPerSecond / Raw.MessagesPerSecond;
}
