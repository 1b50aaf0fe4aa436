using Microsoft.Extensions.Logging.Testing;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// A standard queue, what stock agents send to: no order and at-least-once delivery. The bridge
/// turns a job's reports into one run per event whatever order or how often they arrive (what a
/// run then does with a late or repeated report is JobTermination's part, tested there).
/// </summary>
public sealed class StandardQueueBridgeTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public StandardQueueBridgeTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task A_success_before_its_started_and_the_same_success_twice_start_one_run_per_event()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("termination-standard", visibilityTimeoutSeconds: 5);
        var success = TerminationBody(31, "success");
        await SendStandardAsync(sqs, queues.QueueUrl, success);
        await SendStandardAsync(sqs, queues.QueueUrl, success); // the agent's retry
        await SendStandardAsync(sqs, queues.QueueUrl, TerminationBody(31, "started")); // overtaken by its success

        var starter = new RecordingWorkflowStarter();
        using var pump = TerminationPump(sqs, Options(queues.QueueUrl), starter, new FakeLogCollector());
        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Answered.Count == 3, "three answered starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "every message is deleted");
        await pump.StopAsync(CancellationToken.None);

        Assert.False(pump.Queue!.IsFifo);
        Assert.Equal(
            ["job-termination-31-" + InstanceId(31), "job-termination-31-" + InstanceId(31) + "-started"],
            starter.StartedIds.Order(StringComparer.Ordinal));
        Assert.Equal(1, starter.Answered.Count(a => a.Status == StartStatus.AlreadyStarted));
        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }
}
