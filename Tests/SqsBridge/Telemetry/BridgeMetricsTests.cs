using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Sweeps;
using Temporalio.Exceptions;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Telemetry;

/// <summary>
/// The bridge's counters and timings change as messages flow through the real pump (fauxqs), on
/// the .NET meter: the one source every exporter reads.
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
        var joins = bridge.Collect<long>(BridgeMetrics.Joins);
        var inFlight = bridge.Collect<int>(BridgeMetrics.InFlight);
        var refused = bridge.Collect<double>(BridgeMetrics.Refused);
        var starter = new RecordingWorkflowStarter();
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new TerminationMessageHandler(starter, bridge.Options, new FakeLogger<TerminationMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 5, "five answered starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.DeadLetterQueueUrl) == 2, "both poison messages in the DLQ");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);

        var rejections = logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Message.StartsWith("Rejected termination message", StringComparison.Ordinal));
        Assert.Equal(2, rejections);
        Assert.Equal(7, MeteredBridge.Sum(received, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(3, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(2, MeteredBridge.Sum(duplicates, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(1, MeteredBridge.Sum(rejected, (BridgeMetrics.QueueTag, Termination), (BridgeMetrics.CodeTag, "NotJson")));
        Assert.Equal(1, MeteredBridge.Sum(rejected, (BridgeMetrics.QueueTag, Termination), (BridgeMetrics.CodeTag, "MalformedInstanceId")));
        Assert.Equal(5, latency.GetMeasurementSnapshot().Count);
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 10));

        Assert.Equal(0, MeteredBridge.Sum(joins, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(2, MeteredBridge.Sum(rejected, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(0, MeteredBridge.Observe(inFlight, Termination));
        Assert.Equal(0, MeteredBridge.Observe(refused, Termination));
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
        var started = bridge.Collect<long>(BridgeMetrics.Started);
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new HousekeepingMessageHandler(starter, bridge.Options, new FakeLogger<HousekeepingMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 1, "the trigger answered");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(1, MeteredBridge.Sum(joins, (BridgeMetrics.QueueTag, "housekeeping")));
        Assert.Equal(0, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, "housekeeping")));
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
        var started = bridge.Collect<long>(BridgeMetrics.Started);
        var latency = bridge.Collect<double>(BridgeMetrics.StartLatency);
        var inFlight = bridge.Collect<int>(BridgeMetrics.InFlight);
        var refused = bridge.Collect<double>(BridgeMetrics.Refused);
        var logs = new FakeLogCollector();
        var pump = bridge.Pump(sqs, queues.QueueUrl, new TerminationMessageHandler(starter, bridge.Options, new FakeLogger<TerminationMessageHandler>(logs)), logs);

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => pump.RefusedBecause is not null, "Temporal refuses");
        await Task.Delay(500);
        var (heldDuring, refusedDuring) = (MeteredBridge.Observe(inFlight, Termination), MeteredBridge.Observe(refused, Termination));
        var startedDuring = MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, Termination));
        Volatile.Write(ref refusing, 0);
        await WaitUntilAsync(() => starter.Started.Count == 1, "the start goes through once accepted");
        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(1, heldDuring);
        Assert.InRange(refusedDuring, 0.4, 30);
        Assert.Equal(0, startedDuring);
        Assert.Equal(1, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, Termination)));
        Assert.Equal(0, MeteredBridge.Observe(inFlight, Termination));
        Assert.InRange(MeteredBridge.Observe(refused, Termination), refusedDuring, 30);
        Assert.True(Assert.Single(latency.GetMeasurementSnapshot()).Value >= 0.5, "the latency includes the retries while refused");
    }

    [Fact]
    public void Every_counter_of_a_watched_queue_starts_at_zero_so_a_quiet_queue_shows_0_not_nothing()
    {
        using var bridge = new MeteredBridge(Options(Termination));
        string[] counters = [BridgeMetrics.Received, BridgeMetrics.Started, BridgeMetrics.Duplicates, BridgeMetrics.Joins, BridgeMetrics.Rejections];
        var collectors = counters.Select(bridge.Collect<long>).ToList();

        using var watch = bridge.Metrics.Watch("housekeeping", held: () => 0, refused: () => TimeSpan.Zero);

        Assert.All(collectors, c =>
        {
            var measurement = Assert.Single(c.GetMeasurementSnapshot());
            Assert.Equal(0, measurement.Value);
            Assert.Equal("housekeeping", measurement.Tags[BridgeMetrics.QueueTag]);
        });
    }

    [Fact]
    public void Held_messages_and_refused_time_are_summed_over_the_pumps_of_a_queue_and_a_stopped_pump_leaves_the_sum()
    {
        using var bridge = new MeteredBridge(Options(Termination));
        var inFlight = bridge.Collect<int>(BridgeMetrics.InFlight);
        var refused = bridge.Collect<double>(BridgeMetrics.Refused);
        using var first = bridge.Metrics.Watch(Termination, held: () => 3, refused: () => TimeSpan.FromSeconds(30));
        var second = bridge.Metrics.Watch(Termination, held: () => 4, refused: () => TimeSpan.FromSeconds(12));
        using var other = bridge.Metrics.Watch("housekeeping", held: () => 7, refused: () => TimeSpan.FromSeconds(5));

        var (heldBoth, refusedBoth) = (MeteredBridge.Observe(inFlight, Termination), MeteredBridge.Observe(refused, Termination));
        second.Dispose();

        Assert.Equal(7, heldBoth);
        Assert.Equal(42, refusedBoth);
        Assert.Equal(3, MeteredBridge.Observe(inFlight, Termination));
        // A running total that goes down is a restarted pump: the exporters' delta or rate() take it as a reset.
        Assert.Equal(30, MeteredBridge.Observe(refused, Termination));
        Assert.Equal(7, MeteredBridge.Observe(inFlight, "housekeeping"));
    }
}
