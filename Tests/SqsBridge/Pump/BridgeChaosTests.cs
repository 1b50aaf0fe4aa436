using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// The whole termination path of the bridge under faults, on each queue kind: duplicates, poison,
/// a Temporal that fails 30% of starts with every status it can answer with (its health check
/// passing all along), two bridges on the same queue (two ECS tasks) and one of them stopped and
/// restarted mid-run. Nothing valid may be lost, doubled or dead-lettered.
/// </summary>
public sealed class BridgeChaosTests : IClassFixture<FauxqsFixture>
{
    private const int Jobs = 240;
    private const int SentThreeTimes = 48;

    // Every fault a start can meet: transport trouble, each transient status, each refusal.
    private static readonly Func<Exception>[] Faults =
    [
        () => new HttpRequestException("connection refused"),
        () => new RpcException(RpcException.StatusCode.Unavailable, "frontend restarting", null),
        () => new RpcException(RpcException.StatusCode.DeadlineExceeded, "deadline exceeded", null),
        () => new RpcException(RpcException.StatusCode.ResourceExhausted, "namespace rps limit", null),
        () => new RpcException(RpcException.StatusCode.Aborted, "aborted", null),
        () => new RpcException(RpcException.StatusCode.Internal, "internal", null),
        () => new RpcException(RpcException.StatusCode.Unknown, "unknown", null),
        () => new RpcException(RpcException.StatusCode.InvalidArgument, "search attribute not defined", null),
        () => new RpcException(RpcException.StatusCode.NotFound, "namespace not found", null),
        () => new RpcException(RpcException.StatusCode.FailedPrecondition, "namespace not active", null),
        () => new RpcException(RpcException.StatusCode.PermissionDenied, "unauthorized", null),
        () => new RpcException(RpcException.StatusCode.Unauthenticated, "bad api key", null),
    ];

    private readonly FauxqsFixture _fauxqs;

    public BridgeChaosTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Under_faults_duplicates_poison_two_bridges_and_a_restart_every_valid_job_starts_once_and_only_poison_is_dead_lettered(bool fifo)
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = fifo
            ? await _fauxqs.CreateFifoQueueWithDlqAsync("chaos", maxReceiveCount: 3, visibilityTimeoutSeconds: 10)
            : await _fauxqs.CreateStandardQueueWithDlqAsync("chaos", maxReceiveCount: 3, visibilityTimeoutSeconds: 10);
        var random = new Random(fifo ? 11 : 22);
        var bodies = Enumerable.Range(1, Jobs).Select(job => TerminationBody(job, job % 5 == 0 ? "started" : "success")).ToList();
        var expectedIds = bodies.Select(b => JobTerminationIds.For(TerminationMessageParser.Parse(b).Value!)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Jobs, expectedIds.Count);
        string[] poison =
        [
            "not json",
            """{"instance_id":"i-NOT-HEX","job_id":"1","status":"success"}""",
            """{"instance_id":"i-0123456789abcdef0","job_id":"2","status":"exploded"}""",
            """{"instance_id":"i-0123456789abcdef0","job_id":"-3","status":"failure"}""",
            """[1,2,3]""",
        ];

        var sends = new List<(string Body, string Group)>();
        for (var i = 0; i < bodies.Count; i++)
        {
            var copies = i < SentThreeTimes ? 3 : 1; // an agent that re-sent its report
            sends.AddRange(Enumerable.Repeat((bodies[i], InstanceId(i + 1)), copies));
        }

        sends.AddRange(poison.Select((p, i) => (p, "poison-" + i)));
        foreach (var batch in sends.OrderBy(_ => random.Next()).Chunk(10))
        {
            await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = queues.QueueUrl,
                Entries = [.. batch.Select((s, i) => new SendMessageBatchRequestEntry("e" + i, s.Body)
                {
                    // Distinct deduplication ids: the copies are separate sends, not one deduplicated by SQS.
                    MessageGroupId = fifo ? s.Group : null,
                    MessageDeduplicationId = fifo ? Guid.NewGuid().ToString("N") : null,
                })],
            });
        }

        var faultLock = new Lock();
        var faultRandom = new Random(fifo ? 33 : 44);
        var starter = new RecordingWorkflowStarter
        {
            StartDelay = () => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 4)),
            Fault = _ =>
            {
                lock (faultLock)
                {
                    return faultRandom.NextDouble() < 0.3 ? Faults[faultRandom.Next(Faults.Length)]() : null;
                }
            },
        };
        var receives = new ReceiveLog();
        var options = Options(queues.QueueUrl) with { BackoffInitial = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromMilliseconds(100) };

        var first = TerminationPump(sqs, options, starter, new FakeLogCollector(), receives);
        using var second = TerminationPump(sqs, options, starter, new FakeLogCollector(), receives);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);

        // One task is replaced mid-run (a deployment): stopped with messages in hand, then started anew.
        await WaitUntilAsync(() => starter.StartedIds.Count >= Jobs / 3, "a third of the jobs started", TimeSpan.FromSeconds(60));
        await first.StopAsync(CancellationToken.None);
        first.Dispose();
        using var restarted = TerminationPump(sqs, options, starter, new FakeLogCollector(), receives);
        await restarted.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => starter.StartedIds.Count == Jobs, $"all {Jobs} jobs started", TimeSpan.FromSeconds(90));
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0 && await TotalAsync(sqs, queues.DeadLetterQueueUrl) == poison.Length,
            "the queue is empty and the poison is dead-lettered (nothing stranded after the restart)", TimeSpan.FromSeconds(60));
        await second.StopAsync(CancellationToken.None);
        await restarted.StopAsync(CancellationToken.None);

        Assert.True(starter.Faulted.Count > 50, $"the faults really happened ({starter.Faulted.Count})");
        Assert.Equal(Faults.Length, starter.Faulted.Select(f => f.Fault is RpcException rpc ? rpc.Code.ToString() : f.Fault.GetType().Name).Distinct().Count());
        Assert.Equal(expectedIds.Order(), starter.StartedIds.Order()); // exactly the N ids, each once
        Assert.Equal(Jobs, starter.Started.Count);
        var deadLetters = await DrainAsync(sqs, queues.DeadLetterQueueUrl);
        Assert.Equal(poison.Order(), deadLetters.Order()); // every poison message, and nothing valid
        Assert.Equal(0, await TotalAsync(sqs, queues.QueueUrl));
    }

    private static async Task<List<string>> DrainAsync(Amazon.SQS.IAmazonSQS sqs, string queueUrl)
    {
        var bodies = new List<string>();
        while (true)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return bodies;
            }

            bodies.AddRange(messages.Select(m => m.Body));
            await sqs.DeleteMessageBatchAsync(queueUrl, [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry("d" + i, m.ReceiptHandle))]);
        }
    }
}
