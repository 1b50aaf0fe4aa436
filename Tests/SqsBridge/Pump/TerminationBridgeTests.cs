using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>The termination pump against a real SQS protocol (fauxqs FIFO queue, DLQ after 3 receives).</summary>
public sealed class TerminationBridgeTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public TerminationBridgeTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task Each_message_becomes_one_start_and_the_queue_ends_empty()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination", visibilityTimeoutSeconds: 5);
        var messageIds = new List<string>();
        for (var job = 1; job <= 25; job++)
        {
            messageIds.Add(await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job)));
        }

        var starter = new RecordingWorkflowStarter();
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, new FakeLogCollector());
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Started.Count == 25, "25 starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty (nothing visible or in flight)");
        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(25, starter.Answered.Count);
        Assert.Equal(messageIds.Order(), starter.StartedMessageIds.Order());
        var request = starter.Started.Single(r => r.WorkflowId == "job-termination-7-" + InstanceId(7));
        Assert.Equal(JobTerminationIds.WorkflowType, request.WorkflowType);
        Assert.Equal(StartMode.OncePerId, request.Mode);
        Assert.Equal("7", request.SearchAttributes["RunsFleetJobId"]);
        Assert.Equal(InstanceId(7), request.SearchAttributes["RunsFleetInstanceId"]);
        var input = Assert.IsType<JobTerminationInput>(request.Input);
        Assert.Equal(7L, input.JobId);
        Assert.Equal(JobEndStatus.Success, input.Status);
        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }

    [Fact]
    public async Task Duplicate_deliveries_start_one_workflow_and_are_all_acknowledged()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-dup", visibilityTimeoutSeconds: 5);
        var body = TerminationBody(42);
        await SendFifoAsync(sqs, queues.QueueUrl, body);
        await SendFifoAsync(sqs, queues.QueueUrl, body); // same body: the FIFO queue's content dedup drops it
        await SendFifoAsync(sqs, queues.QueueUrl, body.Replace("}", ",\"retry\":1}", StringComparison.Ordinal)); // agent re-sent it
        await SendFifoAsync(sqs, queues.QueueUrl, body.Replace("}", ",\"retry\":2}", StringComparison.Ordinal));

        var starter = new RecordingWorkflowStarter();
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, new FakeLogCollector());
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 3, "three answered starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "every duplicate is deleted");
        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(["job-termination-42-" + InstanceId(42)], starter.StartedIds);
        Assert.Single(starter.Started);
        Assert.Equal(2, starter.Answered.Count(a => a.Status == StartStatus.AlreadyStarted));
        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }

    [Fact]
    public async Task During_a_Temporal_outage_messages_are_held_in_flight_without_spending_receives_and_all_start_after_recovery()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        // 4 s visibility: without the pump extending it, held messages would reappear within the
        // outage. (The pump extends at half the timeout: 2 s of slack for a loaded test machine.)
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-outage", maxReceiveCount: 3, visibilityTimeoutSeconds: 4);
        for (var job = 1; job <= 25; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var logs = new FakeLogCollector();
        var receives = new ReceiveLog();
        var starter = new RecordingWorkflowStarter { Reachable = false };
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, logs, receives);
        await pump.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => pump.HeldMessages == 25, "all 25 messages are held");
        await Task.Delay(TimeSpan.FromSeconds(10)); // two and a half visibility timeouts of outage
        Assert.Empty(starter.Started);
        Assert.Equal((0, 25), await CountsAsync(sqs, queues.QueueUrl)); // nothing visible: extended, not handed back
        Assert.True(starter.FailedWhileDown.Count > 25, "the starts are retried in-process");
        Assert.Null(pump.RefusedBecause); // an outage is transient: no refusal, the pump stays healthy
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("kept in flight", StringComparison.Ordinal));

        starter.Reachable = true;
        await WaitUntilAsync(() => starter.Started.Count == 25, "all 25 started after recovery");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty after recovery");
        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(25, receives.HighestReceiveCount.Count);
        Assert.All(receives.HighestReceiveCount.Values, count => Assert.Equal(1, count)); // the outage cost no receive
        Assert.Empty(await DeadLettersAsync(sqs, queues));
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("failed start attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_poison_message_is_never_deleted_and_ends_in_the_dead_letter_queue_with_a_logged_reason()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-poison", maxReceiveCount: 3, visibilityTimeoutSeconds: 30);
        const string poison = """{"instance_id":"i-NOT-HEX","job_id":"7","status":"success"}""";
        var poisonId = await SendFifoAsync(sqs, queues.QueueUrl, poison);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(8));

        var logs = new FakeLogCollector();
        var starter = new RecordingWorkflowStarter();
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, logs);
        await pump.StartAsync(CancellationToken.None);
        // The 30 s visibility timeout would hold the message far longer than the test: only
        // the pump's immediate "visible again" lets the redrive happen within seconds.
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.DeadLetterQueueUrl) == 1, "the poison message reached the DLQ", TimeSpan.FromSeconds(15));
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the main queue is empty");
        await pump.StopAsync(CancellationToken.None);

        var deadLetter = Assert.Single(await DeadLettersAsync(sqs, queues));
        Assert.Equal(poison, deadLetter.Body);
        Assert.Single(starter.Started);
        var rejections = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains(poisonId, StringComparison.Ordinal)).ToList();
        Assert.InRange(rejections.Count, 1, 3);
        Assert.All(rejections, r => Assert.Contains("MalformedInstanceId", r.Message, StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Message.Contains("receive count 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_mid_batch_loses_nothing()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-stop", maxReceiveCount: 5, visibilityTimeoutSeconds: 2);
        for (var job = 1; job <= 25; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var random = new Random(1234);
        // Up to 6 s: the stop waits for its 1 s long poll, then gives first attempts 300 ms, so some are surely cut off.
        var starter = new RecordingWorkflowStarter { StartDelay = () => TimeSpan.FromMilliseconds(random.Next(50, 6000)) };
        var options = Options(queues.QueueUrl) with { ShutdownGrace = TimeSpan.FromMilliseconds(300) };
        var logs = new FakeLogCollector();
        using (var pump = TerminationPump(sqs, options, starter, logs))
        {
            await pump.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => starter.Started.Count >= 3, "a few starts");
            await pump.StopAsync(CancellationToken.None);
        }

        // Nothing was deleted without being started: started + still queued covers all 25.
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("grace of", StringComparison.Ordinal)); // starts really were cut off
        var startedAtStop = starter.StartedIds.Count;
        Assert.InRange(startedAtStop, 3, 24);
        Assert.True(await TotalAsync(sqs, queues.QueueUrl) >= 25 - startedAtStop, "a message was deleted without its workflow being started");

        // A new bridge (same Temporal) finishes the rest: every job ends up started exactly once.
        starter.StartDelay = () => TimeSpan.Zero;
        using (var pump = TerminationPump(sqs, options, starter, new FakeLogCollector()))
        {
            await pump.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => starter.StartedIds.Count == 25, "all 25 started");
            await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
            await pump.StopAsync(CancellationToken.None);
        }

        Assert.Equal(25, starter.Started.Count);
        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }

    [Fact]
    public async Task Stop_lets_the_long_poll_under_way_finish_and_handles_what_it_brought()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        // 60 s visibility: a message stranded by a cancelled poll would stay invisible for the rest of the test.
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-idle", visibilityTimeoutSeconds: 60);
        var options = Options(queues.QueueUrl) with { ReceiveWaitSeconds = 3 };
        var starter = new RecordingWorkflowStarter();
        using var pump = TerminationPump(sqs, options, starter, new FakeLogCollector());
        await pump.StartAsync(CancellationToken.None);
        await Task.Delay(500); // the pump is now inside an empty long poll

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var stopping = pump.StopAsync(CancellationToken.None);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(5)); // arrives while the poll is still open
        await stopping;

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(6), $"stop took {stopwatch.Elapsed}: at most the poll's 3 s plus handling");
        Assert.Equal(["job-termination-5-" + InstanceId(5)], starter.StartedIds);
        Assert.Equal(0, await TotalAsync(sqs, queues.QueueUrl)); // handled and deleted, not stranded in flight
    }

    [Fact]
    public async Task A_queue_without_a_dead_letter_queue_is_refused_at_start()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"no-dlq-{Guid.NewGuid():N}.fifo",
            Attributes = new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" },
        })).QueueUrl;
        using var pump = TerminationPump(sqs, Options(queueUrl), new RecordingWorkflowStarter(), new FakeLogCollector());

        var e = await Assert.ThrowsAsync<BridgeStartupException>(() => pump.StartAsync(CancellationToken.None));

        Assert.Contains("RedrivePolicy", e.Message, StringComparison.Ordinal);
        Assert.Contains(queueUrl, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_batch_delete_is_logged_and_the_redelivery_counts_as_a_duplicate()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-delete", visibilityTimeoutSeconds: 1);
        var messageId = await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(77));
        var logs = new FakeLogCollector();
        var starter = new RecordingWorkflowStarter();

        using var pump = TerminationPump(FailingDeleteSqs.Wrap(sqs, failures: 1), Options(queues.QueueUrl), starter, logs);
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 2, "the message came back after the failed delete");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);

        Assert.Single(starter.Started);
        Assert.Equal(StartStatus.AlreadyStarted, starter.Answered[1].Status);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Error
            && r.Message.Contains(messageId, StringComparison.Ordinal)
            && r.Message.Contains("ReceiptHandleIsInvalid", StringComparison.Ordinal));
    }
}
