using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// What the termination pump does when Temporal refuses starts, when it stops with messages in
/// hand, and when a receive's answer is lost (fauxqs, real SQS protocol).
/// </summary>
public sealed class StartFaultBridgeTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public StartFaultBridgeTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Theory]
    [InlineData(RpcException.StatusCode.InvalidArgument, "search attribute RunsFleetJobId is not defined")]
    [InlineData(RpcException.StatusCode.NotFound, "namespace runs-fleet not found")]
    [InlineData(RpcException.StatusCode.PermissionDenied, "request unauthorized")]
    [InlineData(RpcException.StatusCode.Unauthenticated, "invalid API key")]
    [InlineData(RpcException.StatusCode.FailedPrecondition, "namespace is not active")]
    public async Task A_refusal_stops_receiving_is_reported_once_and_loses_nothing(RpcException.StatusCode code, string message)
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("termination-refused", maxReceiveCount: 3, visibilityTimeoutSeconds: 2);
        for (var job = 1; job <= 30; job++)
        {
            await SendStandardAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var refusing = true;
        var starter = new RecordingWorkflowStarter { Fault = _ => Volatile.Read(ref refusing) ? new RpcException(code, message, null) : null };
        var logs = new FakeLogCollector();
        var receives = new ReceiveLog();
        // Ten slots: one receive fills them, so "stopped receiving" is visible as 20 untouched messages.
        var options = Options(queues.QueueUrl) with { MaxConcurrency = 10 };
        using var pump = TerminationPump(sqs, options, starter, logs, receives);
        await pump.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => pump.RefusedBecause is not null, "the pump saw the refusal");
        await Task.Delay(TimeSpan.FromSeconds(5)); // over two visibility timeouts of refusal
        Assert.Contains(message, pump.RefusedBecause, StringComparison.Ordinal);
        Assert.InRange(receives.HighestReceiveCount.Count, 1, 10); // nothing received after the refusal
        Assert.Equal(30, await TotalAsync(sqs, queues.QueueUrl));
        Assert.Equal(0, await TotalAsync(sqs, queues.DeadLetterQueueUrl));
        var errors = logs.GetSnapshot().Where(r => r.Level == LogLevel.Error).ToList();
        var error = Assert.Single(errors); // one Error naming the cause, not one per retry
        Assert.Contains(code.ToString(), error.Message, StringComparison.Ordinal);
        // Still live: a replaced task would spend a receive of every held message and fix nothing.
        Assert.True(await SignalOf(pump).IsHealthyAsync(CancellationToken.None));

        Volatile.Write(ref refusing, false);
        await WaitUntilAsync(() => starter.Started.Count == 30, "all 30 started once Temporal accepts starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);

        Assert.Null(pump.RefusedBecause);
        Assert.All(receives.HighestReceiveCount.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, await TotalAsync(sqs, queues.DeadLetterQueueUrl));
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("accepts termination workflow starts again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_stop_an_unstarted_message_is_handed_back_only_while_it_has_receives_to_spare()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        // maxReceiveCount 3: a message received twice is held back from the hand-back.
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-abandon", maxReceiveCount: 3, visibilityTimeoutSeconds: 30);
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(1), group: "late");
        var spent = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queues.QueueUrl, MaxNumberOfMessages = 1 });
        await sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, Assert.Single(spent.Messages).ReceiptHandle, 0); // an earlier receive, handed back
        await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(2), group: "fresh");

        var logs = new FakeLogCollector();
        var receives = new ReceiveLog();
        var starter = new RecordingWorkflowStarter { Reachable = false };
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, logs, receives);
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => pump.HeldMessages == 2, "both messages held through the outage");
        await pump.StopAsync(CancellationToken.None);

        var counts = receives.HighestReceiveCount.Values.Order().ToArray();
        Assert.Equal([1, 2], counts);
        // The fresh one (receive count 1) is visible again at once; the other (2 = maxReceiveCount - 1) stays out.
        await WaitUntilAsync(async () => await CountsAsync(sqs, queues.QueueUrl) == (1, 1), "one handed back, one kept invisible", TimeSpan.FromSeconds(5));
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("not handed back", StringComparison.Ordinal) && r.Message.Contains("receive count 2 of 3", StringComparison.Ordinal));
        Assert.Equal(0, await TotalAsync(sqs, queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task Messages_of_one_fifo_group_in_one_batch_are_started_in_order()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-order", visibilityTimeoutSeconds: 30);
        string[] statuses = ["started", "failure", "success", "timeout", "interrupted"];
        for (var instance = 1; instance <= 2; instance++)
        {
            for (var i = 0; i < statuses.Length; i++)
            {
                // One group per instance, as the boot shim sends; distinct jobs keep every workflow id distinct.
                var body = TerminationBody((instance * 10) + i, statuses[i], InstanceId(instance));
                await SendFifoAsync(sqs, queues.QueueUrl, body, group: InstanceId(instance));
            }
        }

        var random = new Random(7);
        var starter = new RecordingWorkflowStarter { StartDelay = () => TimeSpan.FromMilliseconds(random.Next(1, 40)) };
        var receives = new ReceiveLog();
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, new FakeLogCollector(), receives);
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Started.Count == 10, "ten starts");
        await pump.StopAsync(CancellationToken.None);

        foreach (var instance in new[] { 1, 2 })
        {
            var order = starter.Answered
                .Select(a => (JobTerminationInput)a.Request.Input)
                .Where(i => i.InstanceId == InstanceId(instance))
                .Select(i => i.Status.ToString().ToLowerInvariant())
                .ToArray();
            Assert.Equal(["started", "failure", "success", "timeout", "interrupted"], order);
        }
    }

    [Fact]
    public async Task A_fifo_receive_whose_answer_was_lost_is_retried_with_the_same_attempt_id_and_loses_nothing()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        // Real SQS answers a retried FIFO receive carrying the same attempt id with the messages the
        // lost answer held; fauxqs 1.9.2 answers it empty (checked), so here those messages come back
        // after their 2 s visibility timeout. What the bridge controls is checked: the retry repeats
        // the attempt id, and every message is started and deleted.
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-attempt", visibilityTimeoutSeconds: 2);
        for (var job = 1; job <= 5; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var lossy = LostReceiveSqs.Wrap(sqs, lost: 1);
        var starter = new RecordingWorkflowStarter();
        var options = Options(queues.QueueUrl) with { MaxConcurrency = 10 }; // one receiver: its retry is the next receive
        using var pump = new RunsFleet.SqsBridge.Pump.SqsQueuePump(
            lossy, queues.QueueUrl,
            new RunsFleet.SqsBridge.Pump.TerminationMessageHandler(starter, options, new FakeLogger<RunsFleet.SqsBridge.Pump.TerminationMessageHandler>()),
            options, new FakeLogger<RunsFleet.SqsBridge.Pump.SqsQueuePump>());
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Started.Count == 5, "all five started although the first answer was lost", TimeSpan.FromSeconds(10));
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await pump.StopAsync(CancellationToken.None);

        var attempts = LostReceiveSqs.AttemptIds(lossy);
        Assert.True(attempts.Count >= 2);
        Assert.NotNull(attempts[0]);
        Assert.Equal(attempts[0], attempts[1]); // the retry repeats the lost receive's attempt id
    }

    private static RunsFleet.SqsBridge.Hosting.PumpsRunningSignal SignalOf(RunsFleet.SqsBridge.Pump.SqsQueuePump pump)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(services, pump);
        return new RunsFleet.SqsBridge.Hosting.PumpsRunningSignal(Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services));
    }
}
