using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SqsBridge;

/// <summary>Builds pumps against fauxqs with test timings, and reads queue state.</summary>
public static class BridgeHarness
{
    /// <summary>Short waits so a test runs in seconds: 1 s long poll, ms backoffs.</summary>
    public static BridgeOptions Options(string terminationQueueUrl, string? housekeepingQueueUrl = null) => new()
    {
        TerminationQueueUrl = terminationQueueUrl,
        HousekeepingQueueUrl = housekeepingQueueUrl,
        ReceiveWaitSeconds = 1,
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        ShutdownGrace = TimeSpan.FromSeconds(5),
        BatchLinger = TimeSpan.FromMilliseconds(20),
    };

    public static SqsQueuePump TerminationPump(IAmazonSQS sqs, BridgeOptions options, RecordingWorkflowStarter starter, FakeLogCollector logs, ReceiveLog? receives = null)
    {
        IQueueMessageHandler handler = new TerminationMessageHandler(starter, options, new FakeLogger<TerminationMessageHandler>(logs));
        return new(sqs, options.TerminationQueueUrl, receives?.Wrap(handler) ?? handler, options, new FakeLogger<SqsQueuePump>(logs));
    }

    public static SqsQueuePump HousekeepingPump(IAmazonSQS sqs, BridgeOptions options, RecordingWorkflowStarter starter, FakeLogCollector logs) =>
        new(sqs, options.HousekeepingQueueUrl!,
            new HousekeepingMessageHandler(starter, options, new FakeLogger<HousekeepingMessageHandler>(logs)),
            options, new FakeLogger<SqsQueuePump>(logs));

    /// <summary>A termination body for job {jobId}, on a distinct instance unless one is given.</summary>
    public static string TerminationBody(int jobId, string status = "success", string? instanceId = null) =>
        $$"""{"instance_id":"{{instanceId ?? InstanceId(jobId)}}","job_id":"{{jobId}}","status":"{{status}}","exit_code":0,"duration_seconds":12,"started_at":"2026-11-20T10:00:00Z","completed_at":"2026-11-20T10:00:12Z"}""";

    public static string InstanceId(int jobId) => "i-" + jobId.ToString("x17", CultureInfo.InvariantCulture);

    /// <summary>Sends to a standard queue, as a stock runs-fleet agent does (no group, no deduplication id).</summary>
    public static async Task<string> SendStandardAsync(IAmazonSQS sqs, string queueUrl, string body) =>
        (await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body })).MessageId;

    /// <summary>Sends to a FIFO queue; each message in its own group so they are delivered in parallel.</summary>
    public static async Task<string> SendFifoAsync(IAmazonSQS sqs, string queueUrl, string body, string? group = null)
    {
        var response = await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageGroupId = group ?? Guid.NewGuid().ToString("N"),
        });
        return response.MessageId;
    }

    public static async Task<(int Visible, int InFlight)> CountsAsync(IAmazonSQS sqs, string queueUrl)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes;
        return (int.Parse(attributes["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture),
            int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"], CultureInfo.InvariantCulture));
    }

    public static async Task<int> TotalAsync(IAmazonSQS sqs, string queueUrl)
    {
        var (visible, inFlight) = await CountsAsync(sqs, queueUrl);
        return visible + inFlight;
    }

    /// <summary>Polls until the condition holds; fails the test with the description after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + description);
            }

            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), description, timeout);

    /// <summary>Receives what is in the dead-letter queue (bodies).</summary>
    public static async Task<List<Message>> DeadLettersAsync(IAmazonSQS sqs, QueueWithDlq queues)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queues.DeadLetterQueueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 0,
            VisibilityTimeout = 0,
        });
        return response.Messages ?? [];
    }
}
