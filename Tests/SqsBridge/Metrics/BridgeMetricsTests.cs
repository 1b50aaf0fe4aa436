using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Activities.Metrics;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.SqsBridge.Metrics;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Metrics;

/// <summary>
/// The bridge's counters and timings change as messages flow through the real pump (fauxqs), on
/// the .NET meter and in the EMF values of one flush.
/// </summary>
public sealed class BridgeMetricsTests : IClassFixture<FauxqsFixture>
{
    private const string Termination = "termination";
    private readonly FauxqsFixture _fauxqs;

    public BridgeMetricsTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task Received_started_duplicate_rejected_by_code_and_latency_count_each_message_once()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        // One receive before the dead-letter queue: each poison message is rejected exactly once.
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-metrics", maxReceiveCount: 1, visibilityTimeoutSeconds: 5);
        for (var job = 1; job <= 3; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var body = TerminationBody(1);
        await SendFifoAsync(sqs, queues.QueueUrl, body.Replace("}", ",\"retry\":1}", StringComparison.Ordinal));
        await SendFifoAsync(sqs, queues.QueueUrl, body.Replace("}", ",\"retry\":2}", StringComparison.Ordinal));
        await SendFifoAsync(sqs, queues.QueueUrl, "this is not json");
        await SendFifoAsync(sqs, queues.QueueUrl, """{"instance_id":"i-NOT-HEX","job_id":"7","status":"success"}""");

        using var bridge = new MeteredBridge(Options(queues.QueueUrl));
        var received = bridge.Collect<long>(BridgeMetrics.Received);
        var started = bridge.Collect<long>(BridgeMetrics.Started);
        var duplicates = bridge.Collect<long>(BridgeMetrics.Duplicates);
        var rejected = bridge.Collect<long>(BridgeMetrics.Rejections);
        var latency = bridge.Collect<double>(BridgeMetrics.StartLatency);
        var starter = new RecordingWorkflowStarter();
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new TerminationMessageHandler(starter, bridge.Options, new FakeLogger<TerminationMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 5, "five answered starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.DeadLetterQueueUrl) == 2, "both poison messages in the DLQ");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);
        var emf = await FlushAsync(bridge);

        var rejections = logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.StartsWith("Rejected termination message", StringComparison.Ordinal));
        Assert.Equal(2, rejections);
        Assert.Equal(7, MeteredBridge.Sum(received, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(3, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(2, MeteredBridge.Sum(duplicates, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(1, MeteredBridge.Sum(rejected, (BridgeMetrics.QueueTag, Termination), (BridgeMetrics.CodeTag, "NotJson")));
        Assert.Equal(1, MeteredBridge.Sum(rejected, (BridgeMetrics.QueueTag, Termination), (BridgeMetrics.CodeTag, "MalformedInstanceId")));
        Assert.Equal(5, latency.GetMeasurementSnapshot().Count);
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 10));

        Assert.Equal(7, emf.Value("BridgeMessagesReceived"));
        Assert.Equal(3, emf.Value("BridgeWorkflowsStarted"));
        Assert.Equal(2, emf.Value("BridgeDuplicates"));
        Assert.Equal(0, emf.Value("BridgeJoins"));
        Assert.Equal(2, emf.Value("BridgeRejections"));
        Assert.Equal(1, emf.Value("BridgeRejections", code: "NotJson"));
        Assert.Equal(1, emf.Value("BridgeRejections", code: "MalformedInstanceId"));
        Assert.Equal(5, emf.Values("BridgeStartLatency").Count);
        Assert.Equal(0, emf.Value("BridgeMessagesInFlight"));
        Assert.Equal(0, emf.Value("BridgeRefusedSeconds"));
        Assert.All(emf.Data, d => Assert.Equal(Termination, d.Dimensions[EmfWindow.QueueDimension]));
    }

    [Fact]
    public async Task A_trigger_joining_a_running_sweep_counts_as_a_join()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("housekeeping-metrics", visibilityTimeoutSeconds: 5);
        var starter = new RecordingWorkflowStarter();
        starter.MarkRunning(SweepWorkflowTypes.OrphanSweep, "sweep-orphans-2026-11-20T10:15:00Z");
        await SendStandardAsync(sqs, queues.QueueUrl, """{"task_type":"orphaned_instances","params":{}}""");
        using var bridge = new MeteredBridge(Options(Termination, queues.QueueUrl));
        var joins = bridge.Collect<long>(BridgeMetrics.Joins);
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new HousekeepingMessageHandler(starter, bridge.Options, new FakeLogger<HousekeepingMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 1, "the trigger answered");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);
        var emf = await FlushAsync(bridge);

        Assert.Equal(1, MeteredBridge.Sum(joins, (BridgeMetrics.QueueTag, "housekeeping")));
        Assert.Equal(1, emf.Value("BridgeJoins", queue: "housekeeping"));
        Assert.Equal(0, emf.Value("BridgeWorkflowsStarted", queue: "housekeeping"));
    }

    [Fact]
    public async Task Time_refused_by_Temporal_is_counted_and_held_messages_are_in_flight_meanwhile()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-refused", maxReceiveCount: 5, visibilityTimeoutSeconds: 5);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(1));
        var refusing = 1;
        var starter = new RecordingWorkflowStarter
        {
            Fault = _ => Volatile.Read(ref refusing) == 1 ? new RpcException(RpcException.StatusCode.NotFound, "namespace runs-fleet not found", null) : null,
        };
        using var bridge = new MeteredBridge(Options(queues.QueueUrl));
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new TerminationMessageHandler(starter, bridge.Options, new FakeLogger<TerminationMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => pump.RefusedBecause is not null, "Temporal refuses");
        await Task.Delay(500);
        var during = await FlushAsync(bridge);
        Volatile.Write(ref refusing, 0);
        await WaitUntilAsync(() => starter.Started.Count == 1, "the start goes through once accepted");
        await pump.StopAsync(CancellationToken.None);
        var after = await FlushAsync(bridge);

        Assert.Equal(1, during.Value("BridgeMessagesInFlight"));
        Assert.InRange(during.Value("BridgeRefusedSeconds"), 0.4, 30);
        Assert.Equal(0, during.Value("BridgeWorkflowsStarted"));
        Assert.Equal(1, after.Value("BridgeWorkflowsStarted"));
        Assert.Equal(0, after.Value("BridgeMessagesInFlight"));
        Assert.InRange(after.Value("BridgeRefusedSeconds"), 0, 30);
        Assert.True(Assert.Single(after.Values("BridgeStartLatency")) >= 0.5, "the latency includes the retries while refused");
    }

    private static async Task<EmfValues> FlushAsync(MeteredBridge bridge)
    {
        var before = bridge.Sink.Batches.Count;
        await bridge.Publisher.FlushAsync(CancellationToken.None);
        return new EmfValues(bridge.Sink.Batches.Count > before ? bridge.Sink.Batches[^1] : []);
    }

    private sealed record EmfValues(IReadOnlyList<MetricDatum> Data)
    {
        public IReadOnlyList<double> Values(string name, string queue = Termination, string? code = null) =>
            [.. Data.Where(d => d.Name == name && d.Dimensions[EmfWindow.QueueDimension] == queue && d.Dimensions.GetValueOrDefault(EmfWindow.CodeDimension) == code).Select(d => d.Value)];

        public double Value(string name, string queue = Termination, string? code = null) => Assert.Single(Values(name, queue, code));
    }
}
