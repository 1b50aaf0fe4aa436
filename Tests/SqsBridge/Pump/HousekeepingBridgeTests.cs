using Amazon.SQS;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>The housekeeping pump against fauxqs (standard queue, DLQ after 3 receives).</summary>
public sealed class HousekeepingBridgeTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public HousekeepingBridgeTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task Each_task_type_starts_its_sweep_workflow_with_its_input()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("housekeeping", visibilityTimeoutSeconds: 5);
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"orphaned_instances","timestamp":"2026-11-20T10:15:00Z","params":{"max_terminations":"20"}}""");
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"stale_ssm","timestamp":"2026-11-20T10:00:00Z","params":{"grace_minutes":15}}""");
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"old_jobs","timestamp":"2026-11-20T02:00:00Z","params":{"dry_run":"true","retention_days":"7"}}""");
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"pool_audit","timestamp":"2026-11-20T09:00:00Z","params":{"dry_run":false}}""");
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"orphaned_jobs","timestamp":"2026-11-20T10:30:00Z","params":{"dry_run":true,"max_runtime_minutes":"120","slack_minutes":15,"max_jobs":5}}""");

        var starter = new RecordingWorkflowStarter();
        await RunUntilDrainedAsync(sqs, queues, starter, new FakeLogCollector(), () => starter.Started.Count == 5);

        var byType = starter.Started.ToDictionary(r => r.WorkflowType);
        Assert.Equal(new StrayInstanceSweepInput { MaxTerminations = 20 }, byType[SweepWorkflowTypes.OrphanSweep].Input);
        Assert.Equal(new StaleSsmSweepInput { GraceMinutes = 15 }, byType[SweepWorkflowTypes.StaleSsmSweep].Input);
        Assert.Equal(new JobArchiveInput { DryRun = true, RetentionDays = 7 }, byType[SweepWorkflowTypes.OldJobArchival].Input);
        Assert.Equal(new PoolAuditInput(), byType[SweepWorkflowTypes.PoolAudit].Input);
        Assert.Equal(
            new OrphanedJobSweepInput { DryRun = true, MaxRuntimeMinutes = 120, SlackMinutes = 15, MaxJobs = 5 },
            byType[SweepWorkflowTypes.OrphanedJobSweep].Input);
        foreach (var kind in Enum.GetValues<SweepKind>())
        {
            var request = byType[SweepNames.WorkflowType(kind)];
            Assert.Equal(SweepNames.WorkflowId(kind), request.WorkflowId);
            Assert.Equal(StartMode.JoinRunning, request.Mode);
            Assert.Equal(SweepNames.TaskType(kind), request.SearchAttributes["RunsFleetSweepType"]);
        }

        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }

    [Fact]
    public async Task An_unknown_task_type_and_a_mistyped_param_end_in_the_dead_letter_queue_with_their_reasons()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("housekeeping-bad", maxReceiveCount: 3, visibilityTimeoutSeconds: 30);
        var unknownId = await SendAsync(sqs, queues.QueueUrl, """{"task_type":"defragment_disks","params":{}}""");
        var typoId = await SendAsync(sqs, queues.QueueUrl, """{"task_type":"orphaned_instances","params":{"dry_rnu":"true"}}""");

        var logs = new FakeLogCollector();
        var starter = new RecordingWorkflowStarter();
        await RunUntilDrainedAsync(sqs, queues, starter, logs, () => true, expectedDeadLetters: 2);

        Assert.Empty(starter.Answered);
        var deadLetters = await DeadLettersAsync(sqs, queues);
        Assert.Equal(2, deadLetters.Count);
        var warnings = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Contains(warnings, m => m.Contains(unknownId, StringComparison.Ordinal) && m.Contains("UnknownTaskType", StringComparison.Ordinal) && m.Contains("defragment_disks", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains(typoId, StringComparison.Ordinal) && m.Contains("UnknownParam", StringComparison.Ordinal) && m.Contains("params.dry_rnu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trigger_for_a_running_sweep_joins_it_and_is_acknowledged()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("housekeeping-join", visibilityTimeoutSeconds: 5);
        var starter = new RecordingWorkflowStarter();
        // The schedule's run: its id carries the scheduled time.
        starter.MarkRunning(SweepWorkflowTypes.OrphanSweep, "sweep-orphans-2026-11-20T10:15:00Z");
        var messageId = await SendAsync(sqs, queues.QueueUrl, """{"task_type":"orphaned_instances","params":{}}""");
        var logs = new FakeLogCollector();

        await RunUntilDrainedAsync(sqs, queues, starter, logs, () => starter.Answered.Count == 1);

        Assert.Empty(starter.Started);
        Assert.Equal(StartStatus.JoinedRunning, Assert.Single(starter.Answered).Status);
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains(messageId, StringComparison.Ordinal)
            && r.Message.Contains("joined the running sweep sweep-orphans-2026-11-20T10:15:00Z", StringComparison.Ordinal));
        Assert.Empty(await DeadLettersAsync(sqs, queues));
    }

    [Fact]
    public async Task Two_triggers_of_one_sweep_start_it_once()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateStandardQueueWithDlqAsync("housekeeping-twice", visibilityTimeoutSeconds: 5);
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"stale_ssm","timestamp":"2026-11-20T10:00:00Z"}""");
        await SendAsync(sqs, queues.QueueUrl, """{"task_type":"stale_ssm","timestamp":"2026-11-20T10:00:05Z"}""");
        var starter = new RecordingWorkflowStarter();

        await RunUntilDrainedAsync(sqs, queues, starter, new FakeLogCollector(), () => starter.Answered.Count == 2);

        Assert.Equal("sweep-stale-ssm", Assert.Single(starter.Started).WorkflowId);
        Assert.Single(starter.Answered, a => a.Status == StartStatus.JoinedRunning);
    }

    private static async Task<string> SendAsync(IAmazonSQS sqs, string queueUrl, string body) =>
        (await sqs.SendMessageAsync(queueUrl, body)).MessageId;

    private static async Task RunUntilDrainedAsync(
        IAmazonSQS sqs, QueueWithDlq queues, RecordingWorkflowStarter starter, FakeLogCollector logs, Func<bool> done, int expectedDeadLetters = 0)
    {
        var options = Options("http://unused.invalid/termination", queues.QueueUrl);
        using var pump = HousekeepingPump(sqs, options, starter, logs);
        await pump.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(done, "the expected starts");
            await WaitUntilAsync(async () => await TotalAsync(sqs, queues.DeadLetterQueueUrl) == expectedDeadLetters, $"{expectedDeadLetters} dead letters", TimeSpan.FromSeconds(15));
            await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the housekeeping queue is empty");
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
        }
    }
}
