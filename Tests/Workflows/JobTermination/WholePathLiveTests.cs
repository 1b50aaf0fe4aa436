using System.Globalization;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.SqsBridge;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;
using Xunit.Abstractions;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// The whole system on a real Temporal server: SQS message -> SqsBridge (AddSqsBridge host,
/// real TemporalWorkflowStarter) -> server -> real worker -> real activities against dynalite,
/// fauxqs and the SSM/EC2 fakes. Runs where a server is available (TEMPORAL_ADDRESS,
/// TEMPORAL_CLI_PATH, or a dev server the SDK downloads) and is skipped with the printed reason
/// elsewhere. Each test uses its own task queue, tables, queues and fakes.
/// Covered offline by tests that run everywhere: the workflow branches, activity arguments
/// and results by Termination/JobTerminationWorkflowReplayTests and
/// Sweeps/StaleSsm/StaleSsmSweepWorkflowReplayTests; the activities against dynalite and the
/// fakes by Termination/JobRecordActivitiesTests, RunnerParameterActivitiesTests,
/// JobMetricsTests and Sweeps/StaleSsm/StaleSsmSweepActivitiesTests; duplicates, poison
/// messages and the dead-letter queue by Bridge/TerminationBridgeTests and
/// HousekeepingBridgeTests (fauxqs with a recording starter); the AddSqsBridge host by
/// Bridge/BridgeHostingTests. What only these tests show: the pieces agree on the wire
/// (payload converter, workflow and activity names, search attributes, id policies).
/// </summary>
public sealed class WholePathLiveTests : IClassFixture<LiveSystemFixture>
{
    private readonly LiveSystemFixture _live;
    private readonly ITestOutputHelper _output;

    public WholePathLiveTests(LiveSystemFixture live, ITestOutputHelper output)
    {
        _live = live;
        _output = output;
    }

    [SkippableFact]
    public async Task A_success_message_and_its_duplicate_become_one_completed_JobTermination_that_cleans_up_everything()
    {
        Skip.If(_live.SkipReason is not null, _live.SkipReason);
        var client = _live.Environment.Client;
        _output.WriteLine($"Temporal: {_live.ServerDescription}");
        var taskQueue = LiveHarness.UniqueTaskQueue();
        var jobId = LiveSeeds.NewJobId();
        var instanceId = LiveSeeds.NewInstanceId();
        var otherInstanceId = LiveSeeds.NewInstanceId();
        var body = LiveSeeds.SuccessSample(jobId, instanceId);
        var workflowId = JobTerminationIds.For(TerminationMessageParser.Parse(body).Value!);

        var table = await _live.Dynalite.CreateJobsTableAsync();
        using var db = _live.Dynalite.CreateClient();
        await LiveSeeds.SeedRunningJobAsync(db, table, jobId, instanceId);
        await using var ssm = new FakeSsmServer();
        LiveSeeds.SeedInstanceParameters(ssm, instanceId, otherInstanceId);
        using var ssmClient = AwsClients.Ssm(ssm.ServiceUrl);
        using var sqs = _live.Fauxqs.CreateSqsClient();
        var queues = await _live.Fauxqs.CreateFifoQueueWithDlqAsync("live-termination", maxReceiveCount: 3, visibilityTimeoutSeconds: 10);

        using var logs = new LogCapture();
        var metrics = new RecordingMetricsSink();
        var bridgeOptions = LiveHarness.BridgeOptions(taskQueue, queues.QueueUrl);
        var starter = LiveHarness.RealStarter(client, bridgeOptions, logs);
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue)
            .AddWorkflow<JobTerminationWorkflow>()
            .AddAllActivities(new JobRecordActivities(db, Options.Create(new JobsTableOptions { TableName = table }), logs.Logger<JobRecordActivities>()))
            .AddAllActivities(new RunnerParameterActivities(ssmClient, Options.Create(new RunnerParameterOptions()), logs.Logger<RunnerParameterActivities>()))
            .AddAllActivities(new JobMetricsActivities(metrics)));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        try
        {
            await worker.ExecuteAsync(
                async () =>
                {
                    var bridge = await LiveHarness.StartBridgeAsync(sqs, bridgeOptions, starter, logs);
                    try
                    {
                        // The agent's message, then the same message re-sent after the FIFO
                        // deduplication window (a new deduplication id): SQS delivers both.
                        await SendAsync(sqs, queues.QueueUrl, body, instanceId, "first-send");
                        await SendAsync(sqs, queues.QueueUrl, body, instanceId, "re-send");

                        var handle = await LiveHarness.WaitForWorkflowAsync(client, workflowId);
                        var result = await LiveHarness.ResultAsync<JobTerminationResult>(handle);
                        await BridgeHarness.WaitUntilAsync(() => starter.Answered.Count == 2, "both deliveries were answered by Temporal", LiveHarness.TestTimeout);
                        await BridgeHarness.WaitUntilAsync(async () => await BridgeHarness.TotalAsync(sqs, queues.QueueUrl) == 0, "both deliveries are deleted", LiveHarness.TestTimeout);

                        _output.WriteLine(result.Detail);
                        Assert.Equal(JobTerminationOutcome.Completed, result.Outcome);
                        Assert.Equal("completed", result.JobStatus);
                        Assert.Equal(LiveSeeds.Pool, result.Pool);
                        Assert.Equal(2, result.ParametersDeleted);
                        Assert.Equal(0, result.ParametersAlreadyGone);
                        Assert.Equal(2, result.MetricsSent);

                        // One run, one effect: the duplicate was refused by the server, not run again.
                        // Both may arrive in one receive batch and start concurrently, so in either order.
                        Assert.Equal([StartStatus.Started, StartStatus.AlreadyStarted], starter.Answered.Select(a => a.Result.Status).Order());
                        Assert.All(starter.Answered, a => Assert.Equal(workflowId, a.Result.WorkflowId));
                        var executions = await LiveHarness.ListAsync(client, $"WorkflowId = '{workflowId}'", LiveHarness.AllCompleted);
                        var execution = Assert.Single(executions);
                        Assert.Equal(WorkflowExecutionStatus.Completed, execution.Status);
                        Assert.Equal(JobTerminationIds.WorkflowType, execution.WorkflowType);
                        Assert.Equal(taskQueue, execution.TaskQueue);

                        var description = await handle.DescribeAsync();
                        Assert.Equal(jobId.ToString(CultureInfo.InvariantCulture), description.TypedSearchAttributes.Get(RunsFleetSearchAttributes.JobId));
                        Assert.Equal(instanceId, description.TypedSearchAttributes.Get(RunsFleetSearchAttributes.InstanceId));
                        Assert.Equal(LiveSeeds.Pool, description.TypedSearchAttributes.Get(RunsFleetSearchAttributes.Pool));
                    }
                    finally
                    {
                        await LiveHarness.StopAsync(bridge);
                    }
                },
                bound.Token);
        }
        finally
        {
            await LiveHarness.TerminateIfRunningAsync(client, workflowId);
        }

        var record = await LiveSeeds.ReadJobAsync(db, table, jobId);
        Assert.Equal("completed", record[JobRecord.Status].S);
        Assert.Equal(instanceId, record[JobRecord.InstanceId].S);
        Assert.Equal("2026-11-30T09:14:03Z", record[JobRecord.StartedAt].S);
        Assert.Equal("2026-11-30T09:20:55Z", record[JobRecord.CompletedAt].S);
        Assert.Equal("412", record[JobRecord.DurationSeconds].N);
        Assert.Equal("0", record[JobRecord.ExitCode].N);

        Assert.Null(ssm.Find($"{LiveSeeds.ParameterPrefix}{instanceId}/config"));
        Assert.Null(ssm.Find($"{LiveSeeds.ParameterPrefix}{instanceId}/credential"));
        Assert.NotNull(ssm.Find($"{LiveSeeds.ParameterPrefix}{otherInstanceId}/config"));
        Assert.Equal(1, ssm.Count("DeleteParameters"));

        Assert.Equal(412, metrics.Single(JobMetrics.JobDuration).Value);
        var success = metrics.Single(JobMetrics.JobSuccess);
        Assert.Equal(1, success.Value);
        Assert.Equal(LiveSeeds.Pool, success.Dimensions[JobMetrics.PoolDimension]);
        Assert.Empty(metrics.Named(JobMetrics.JobFailure));

        Assert.Equal(0, await BridgeHarness.TotalAsync(sqs, queues.QueueUrl));
        Assert.Empty(await BridgeHarness.DeadLettersAsync(sqs, queues));
    }

    [SkippableFact]
    public async Task A_poison_termination_message_ends_in_the_dead_letter_queue_without_any_workflow_start()
    {
        Skip.If(_live.SkipReason is not null, _live.SkipReason);
        var client = _live.Environment.Client;
        var taskQueue = LiveHarness.UniqueTaskQueue();
        using var sqs = _live.Fauxqs.CreateSqsClient();
        var queues = await _live.Fauxqs.CreateFifoQueueWithDlqAsync("live-poison", maxReceiveCount: 2, visibilityTimeoutSeconds: 5);
        const string poison = """{"instance_id":"i-0a1b2c3d4e5f60718","job_id":"48213377001","status":"succes""";
        using var logs = new LogCapture();
        var bridgeOptions = LiveHarness.BridgeOptions(taskQueue, queues.QueueUrl);
        var starter = LiveHarness.RealStarter(client, bridgeOptions, logs);

        var messageId = await SendAsync(sqs, queues.QueueUrl, poison, "poison", "poison-1");
        var bridge = await LiveHarness.StartBridgeAsync(sqs, bridgeOptions, starter, logs);
        try
        {
            await BridgeHarness.WaitUntilAsync(
                async () => (await BridgeHarness.DeadLettersAsync(sqs, queues)).Any(m => m.Body == poison),
                "the poison message is in the dead-letter queue",
                LiveHarness.TestTimeout);
        }
        finally
        {
            await LiveHarness.StopAsync(bridge);
        }

        Assert.Equal(0, await BridgeHarness.TotalAsync(sqs, queues.QueueUrl));
        Assert.Equal(0, starter.Attempts);
        Assert.Contains(logs.At(LogLevel.Warning), r => r.Message.Contains($"Rejected termination message {messageId}", StringComparison.Ordinal));
        Assert.True(await starter.IsReachableAsync(CancellationToken.None), "the bridge was connected to Temporal the whole time");
        var started = await LiveHarness.ListAsync(client, $"TaskQueue = '{taskQueue}'", _ => true);
        Assert.Empty(started);
    }

    [SkippableFact]
    public async Task A_stale_ssm_dry_run_trigger_on_the_housekeeping_queue_runs_one_sweep_that_deletes_nothing()
    {
        Skip.If(_live.SkipReason is not null, _live.SkipReason);
        var client = _live.Environment.Client;
        Skip.If(
            !_live.OwnsServer,
            $"Uses the fixed workflow id {SweepNames.WorkflowId(SweepKind.StaleSsm)} and a namespace-wide 'running StaleSsmSweep' query, " +
            "so on a shared server (TEMPORAL_ADDRESS) it could join a real sweep; it runs on a dev server the tests start (TEMPORAL_CLI_PATH). " +
            "The direct StaleSsmSweep test runs on any server.");
        var taskQueue = LiveHarness.UniqueTaskQueue();
        await using var ssm = new FakeSsmServer();
        await using var ec2 = new FakeEc2Server();
        var (stale, kept) = LiveSeeds.SeedRunnerParameters(ssm, ec2);
        using var sqs = _live.Fauxqs.CreateSqsClient();
        var termination = await _live.Fauxqs.CreateFifoQueueWithDlqAsync("live-idle-termination");
        var housekeeping = await _live.Fauxqs.CreateStandardQueueWithDlqAsync("live-housekeeping", visibilityTimeoutSeconds: 10);
        using var logs = new LogCapture();
        var metrics = new RecordingMetricsSink();
        var bridgeOptions = LiveHarness.BridgeOptions(taskQueue, termination.QueueUrl, housekeeping.QueueUrl);
        var starter = LiveHarness.RealStarter(client, bridgeOptions, logs);
        var workflowId = SweepNames.WorkflowId(SweepKind.StaleSsm);
        var trigger = $$$"""{"task_type":"stale_ssm","timestamp":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","params":{"dry_run":"true","grace_minutes":"30"}}""";

        using var worker = SweepWorker(client, taskQueue, ssm, ec2, metrics, logs);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await worker.ExecuteAsync(
                async () =>
                {
                    var bridge = await LiveHarness.StartBridgeAsync(sqs, bridgeOptions, starter, logs);
                    try
                    {
                        await sqs.SendMessageAsync(housekeeping.QueueUrl, trigger);
                        var handle = await LiveHarness.WaitForWorkflowAsync(client, workflowId);
                        var result = await LiveHarness.ResultAsync<StaleSsmSweepResult>(handle);
                        await BridgeHarness.WaitUntilAsync(async () => await BridgeHarness.TotalAsync(sqs, housekeeping.QueueUrl) == 0, "the trigger is deleted", LiveHarness.TestTimeout);

                        Assert.True(result.DryRun);
                        Assert.Equal(30, result.GraceMinutes);
                        Assert.Equal(LiveSeeds.ParameterPrefix, result.ParameterPrefix);
                        Assert.Equal(6, result.ParametersListed);
                        Assert.Equal(3, result.StaleParameters);
                        Assert.Equal(stale.Order(StringComparer.Ordinal), result.StaleNames.Order(StringComparer.Ordinal));
                        Assert.Equal(0, result.ParametersDeleted);
                        Assert.Equal(1, result.KeptYoung);
                        Assert.Equal(1, result.KeptInstanceAlive);
                        Assert.Equal(1, result.Unparseable);

                        var answered = Assert.Single(starter.Answered);
                        Assert.Equal(StartStatus.Started, answered.Result.Status);
                        Assert.Equal(SweepNames.WorkflowType(SweepKind.StaleSsm), answered.Request.WorkflowType);
                        var description = await handle.DescribeAsync();
                        Assert.Equal("stale_ssm", description.TypedSearchAttributes.Get(RunsFleetSearchAttributes.SweepType));
                        Assert.Equal(taskQueue, description.TaskQueue);
                    }
                    finally
                    {
                        await LiveHarness.StopAsync(bridge);
                    }
                },
                bound.Token);
        }
        finally
        {
            await LiveHarness.TerminateIfRunningAsync(client, workflowId);
        }

        Assert.Equal(stale.Concat(kept).Order(StringComparer.Ordinal), ssm.Names);
        Assert.Equal(0, ssm.Count("DeleteParameters"));
        Assert.Empty(metrics.All);
        Assert.Empty(await BridgeHarness.DeadLettersAsync(sqs, housekeeping));
    }

    [SkippableFact]
    public async Task StaleSsmSweep_started_directly_deletes_only_the_parameters_of_gone_instances()
    {
        Skip.If(_live.SkipReason is not null, _live.SkipReason);
        var client = _live.Environment.Client;
        var taskQueue = LiveHarness.UniqueTaskQueue();
        await using var ssm = new FakeSsmServer();
        await using var ec2 = new FakeEc2Server();
        var (stale, kept) = LiveSeeds.SeedRunnerParameters(ssm, ec2);
        using var logs = new LogCapture();
        var metrics = new RecordingMetricsSink();
        // Not the production id: on a shared server this run must not collide with a real sweep.
        var workflowId = $"{SweepNames.WorkflowId(SweepKind.StaleSsm)}-live-{Guid.NewGuid():N}";

        using var worker = SweepWorker(client, taskQueue, ssm, ec2, metrics, logs);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        StaleSsmSweepResult result;
        try
        {
            result = await worker.ExecuteAsync(
                async () =>
                {
                    var handle = await client.StartWorkflowAsync(
                        (StaleSsmSweepWorkflow wf) => wf.RunAsync(new StaleSsmSweepInput { DryRun = false, GraceMinutes = 30 }),
                        new WorkflowOptions(workflowId, taskQueue)
                        {
                            ExecutionTimeout = LiveHarness.TestTimeout,
                            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                                .Set(RunsFleetSearchAttributes.SweepType, SweepNames.TaskType(SweepKind.StaleSsm))
                                .ToSearchAttributeCollection(),
                        });
                    return await LiveHarness.ResultAsync<StaleSsmSweepResult>(handle);
                },
                bound.Token);
        }
        finally
        {
            await LiveHarness.TerminateIfRunningAsync(client, workflowId);
        }

        Assert.False(result.DryRun);
        Assert.Equal(3, result.StaleParameters);
        Assert.Equal(3, result.ParametersDeleted);
        Assert.Equal(0, result.AlreadyGone);
        Assert.Equal(stale.Order(StringComparer.Ordinal), result.StaleNames.Order(StringComparer.Ordinal));
        Assert.Equal(kept.Order(StringComparer.Ordinal), ssm.Names);
        Assert.Equal(3, metrics.Single(StaleSsmSweepActivities.DeletedMetric).Value);
    }

    private static TemporalWorker SweepWorker(
        ITemporalClient client, string taskQueue, FakeSsmServer ssm, FakeEc2Server ec2, RecordingMetricsSink metrics, LogCapture logs)
    {
        // The clients live as long as the worker; the SDK clients hold no unmanaged state worth a dispose here.
        var activities = new StaleSsmSweepActivities(
            AwsClients.Ssm(ssm.ServiceUrl),
            AwsClients.Ec2(ec2.ServiceUrl),
            Options.Create(new StaleSsmSweepOptions { ParameterPrefix = LiveSeeds.ParameterPrefix }),
            metrics,
            logs.Logger<StaleSsmSweepActivities>());
        return new TemporalWorker(client, new TemporalWorkerOptions(taskQueue)
            .AddWorkflow<StaleSsmSweepWorkflow>()
            .AddAllActivities(activities));
    }

    private static async Task<string> SendAsync(Amazon.SQS.IAmazonSQS sqs, string queueUrl, string body, string group, string deduplicationId) =>
        (await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageGroupId = group,
            MessageDeduplicationId = deduplicationId,
        })).MessageId;
}
