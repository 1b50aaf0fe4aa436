using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>
/// Off a terminal the bridge logs one JSON object per line whose scopes carry the message id and,
/// once the message is parsed, the workflow id, job id and instance id.
/// </summary>
public sealed class BridgeJsonLogTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public BridgeJsonLogTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task A_started_and_a_rejected_message_log_json_lines_with_their_ids()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("termination-json-log", maxReceiveCount: 1, visibilityTimeoutSeconds: 5);
        var startedId = await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(42));
        var poisonId = await SendFifoAsync(sqs, queues.QueueUrl, "not json at all");
        using var logs = new JsonLogCapture();
        var starter = new RecordingWorkflowStarter();
        var options = Options(queues.QueueUrl);
        using var pump = new SqsQueuePump(sqs, queues.QueueUrl,
            new TerminationMessageHandler(starter, options, logs.Factory.CreateLogger<TerminationMessageHandler>()),
            options, logs.Factory.CreateLogger<SqsQueuePump>());

        await pump.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => starter.Started.Count == 1, "the start");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.DeadLetterQueueUrl) == 1, "the poison message in the DLQ");
        await pump.StopAsync(CancellationToken.None);

        var started = Assert.Single(logs.Lines, l => l.GetProperty("Message").GetString()!.StartsWith("Started JobTermination", StringComparison.Ordinal));
        Assert.Equal("Information", started.GetProperty("LogLevel").GetString());
        var fields = JsonLogCapture.ScopeFields(started);
        Assert.Equal(startedId, fields["MessageId"]);
        Assert.Equal("termination", fields["QueueKind"]);
        Assert.Equal("job-termination-42-" + InstanceId(42), fields["WorkflowId"]);
        Assert.Equal("42", fields["JobId"]);
        Assert.Equal(InstanceId(42), fields["InstanceId"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\z", started.GetProperty("Timestamp").GetString());

        var rejected = Assert.Single(logs.Lines, l => l.GetProperty("Message").GetString()!.StartsWith("Rejected termination message", StringComparison.Ordinal));
        Assert.Equal("Warning", rejected.GetProperty("LogLevel").GetString());
        var rejectedFields = JsonLogCapture.ScopeFields(rejected);
        Assert.Equal(poisonId, rejectedFields["MessageId"]);
        Assert.False(rejectedFields.ContainsKey("WorkflowId"), "an unparsed message has no workflow id");
    }
}
