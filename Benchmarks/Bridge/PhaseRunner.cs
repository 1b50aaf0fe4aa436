using System.Diagnostics;
using Amazon.SQS;
using Microsoft.Extensions.Logging;
using RunsFleet.Benchmarks.Aws;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// Runs one measured phase: fill the queue (uncounted client), time one consumer until the
/// queue is empty (counted client), then check nothing was left, lost or dead-lettered.
/// A failed check is added to the failures and the phase's figures are still returned.
/// </summary>
internal sealed class PhaseRunner(IAmazonSQS admin, IAmazonSQS consumer, AwsRequestCounter counter, ILoggerFactory logs)
{
    private static readonly TimeSpan EmptyPollInterval = TimeSpan.FromMilliseconds(5);

    public async Task<PhaseResult> RawAsync(BenchmarkQueue queue, long first, int messages, List<string> failures, CancellationToken cancellationToken)
    {
        await FillAsync(queue, first, messages, cancellationToken);
        using var deadline = Deadline(messages, cancellationToken);
        var before = counter.Snapshot();
        var clock = Stopwatch.StartNew();
        var consumed = await RawConsumer.ConsumeAsync(consumer, queue.Url, messages, deadline.Token);
        clock.Stop();
        var result = new PhaseResult(consumed, clock.Elapsed, RequestCounts.Between(before, counter.Snapshot()));

        await CheckDrainedAsync(queue, "raw", failures, cancellationToken);
        Report(queue, "raw   ", result);
        return result;
    }

    public async Task<PhaseResult> BridgeAsync(
        BenchmarkQueue queue, long first, int messages, TimeSpan startLatency, List<string> failures, CancellationToken cancellationToken)
    {
        await FillAsync(queue, first, messages, cancellationToken);
        var starter = new SimulatedWorkflowStarter(startLatency, messages);
        using var deadline = Deadline(messages, cancellationToken);
        var before = counter.Snapshot();
        var clock = Stopwatch.StartNew();
        using var tally = new BridgeMeterTally();
        var (pump, concurrency) = PumpUnderTest.Create(consumer, queue.Url, starter, logs);
        using (pump)
        {
            await pump.StartAsync(deadline.Token);
            try
            {
                await WaitUntilDrainedAsync(queue, starter, pump.ExecuteTask, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{queue.Name}: the bridge did not finish {messages} messages in time ({starter.DistinctStarted} started)");
            }

            clock.Stop();
            var requests = RequestCounts.Between(before, counter.Snapshot());
            using var stopLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopLimit.CancelAfter(TimeSpan.FromSeconds(60));
            await pump.StopAsync(stopLimit.Token);

            var result = new PhaseResult(messages, clock.Elapsed, requests);
            if (starter.DistinctStarted != messages)
            {
                failures.Add($"{queue.Name}: the bridge started {starter.DistinctStarted} distinct workflow ids, expected exactly {messages}");
            }

            var (received, started, latencies) = (tally.Total(BridgeMetrics.Received), tally.Total(BridgeMetrics.Started), tally.Total(BridgeMetrics.StartLatency));
            if (started != messages || latencies != messages || received < messages)
            {
                failures.Add($"{queue.Name}: the bridge meter counted {received} received, {started} started, {latencies} latencies for {messages} messages");
            }

            await CheckDrainedAsync(queue, "bridge", failures, cancellationToken);
            Report(queue, "bridge", result);
            Console.WriteLine(
                $"    bridge concurrency {concurrency}; {starter.Calls} start calls; requests: {requests}");
            Console.WriteLine(
                $"    bridge meter (listened to, as an exporter would): received {received}, started {started}, start latencies {latencies}");
            return result;
        }
    }

    // Done when every workflow is started and the deletes that follow have emptied the queue.
    private async Task WaitUntilDrainedAsync(
        BenchmarkQueue queue, SimulatedWorkflowStarter starter, Task? pumpLoop, CancellationToken cancellationToken)
    {
        var pumpEnded = pumpLoop ?? Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(starter.AllStarted, pumpEnded, Task.Delay(Timeout.Infinite, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (first == pumpEnded)
        {
            await pumpEnded;
            throw new InvalidOperationException($"The bridge on the {queue.Name} queue stopped on its own before it had started every workflow.");
        }

        while (await BenchmarkQueue.CountAsync(admin, queue.Url, cancellationToken) > 0)
        {
            await Task.Delay(EmptyPollInterval, cancellationToken);
        }
    }

    private async Task FillAsync(BenchmarkQueue queue, long first, int messages, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await TerminationMessages.FillAsync(admin, queue, first, messages, cancellationToken);
        Console.WriteLine($"  {queue.Name,-8} filled {messages,7} msgs in {clock.Elapsed.TotalSeconds,6:0.00} s");
        var queued = await BenchmarkQueue.CountAsync(admin, queue.Url, cancellationToken);
        if (queued != messages)
        {
            throw new InvalidOperationException($"Filled the {queue.Name} queue with {messages} messages but it holds {queued}.");
        }
    }

    private async Task CheckDrainedAsync(BenchmarkQueue queue, string consumerName, List<string> failures, CancellationToken cancellationToken)
    {
        var left = await BenchmarkQueue.CountAsync(admin, queue.Url, cancellationToken);
        if (left != 0)
        {
            failures.Add($"{queue.Name}: {left} messages left in the queue after the {consumerName} phase");
        }

        var deadLettered = await BenchmarkQueue.CountAsync(admin, queue.DeadLetterUrl, cancellationToken);
        if (deadLettered != 0)
        {
            failures.Add($"{queue.Name}: {deadLettered} messages in the dead-letter queue after the {consumerName} phase");
        }
    }

    // Generous: 60 s plus 20 ms a message (50 msgs/s, ten times slower than today's pump).
    private static CancellationTokenSource Deadline(int messages, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(20.0 * messages));
        return deadline;
    }

    private static void Report(BenchmarkQueue queue, string consumerName, PhaseResult result) =>
        Console.WriteLine(
            $"  {queue.Name,-8} {consumerName} {result.Messages,7} msgs in {result.Elapsed.TotalSeconds,6:0.00} s = {result.MessagesPerSecond,8:0.0} msgs/s, {result.RequestsPerMessage:0.000} SQS requests/msg");
}
