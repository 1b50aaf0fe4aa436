using Amazon.SQS;
using Amazon.SQS.Model;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Tests.Activities.Jobs;
using RunsFleet.Tests.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// The shim's bootstrap-failed.json sample end to end (bridge parser, the workflow replayed step by
/// step, the real activities) against records as runs-fleet writes them, in a table as its
/// dynamodb.tf creates it, and fauxqs as runs-fleet's job queue: flip, send, undo.
/// </summary>
public sealed class BootstrapRequeueEndToEndTests(DynaliteFixture dynalite, FauxqsFixture fauxqs)
    : IClassFixture<DynaliteFixture>, IClassFixture<FauxqsFixture>, IDisposable
{
    private const string Instance = "i-0a1b2c3d4e5f6071a";
    private const long JobId = 59112233452;
    private const string Find = "FindRequeueCandidate";
    private const string Flip = "MarkJobRequeued";
    private const string Send = "SendRequeueMessage";
    private const string Undo = "UndoJobRequeued";
    private const string Clean = "DeleteRunnerParameters";
    private const string Count = "PublishBootstrapFailureMetrics";
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 17, 58, 0, TimeSpan.Zero);

    private readonly AmazonSQSClient _sqs = fauxqs.CreateSqsClient();

    public void Dispose() => _sqs.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Launched_job_is_flipped_and_sent_to_runs_fleets_queue(bool fifo)
    {
        var queueUrl = await CreateQueueAsync(fifo);
        await using var fleet = await StartAsync(queueUrl);
        var launched = RunsFleetSeed.Launched(
            JobId, Instance, Created, pool: "default", instanceType: "c7g.xlarge", retryCount: 1);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, launched);
        fleet.SeedParameters(Instance);

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal([Find, Flip, Send, Clean, Count], run.ActivityTypes);
        var result = run.Result<JobTerminationResult>();
        Assert.Equal(
            (JobTerminationOutcome.BootstrapFailureRequeued, (BootstrapRequeue?)BootstrapRequeue.Requeued),
            (result.Outcome, result.Requeue));
        Assert.Equal(("requeued", "default", 2), (result.JobStatus, result.Pool, result.ParametersDeleted));
        Assert.Equal(
            JobItems.Render(RunsFleetSeed.Requeued(launched, fleet.Clock.GetUtcNow())),
            await RenderAsync(fleet, JobId));

        var message = await ReceiveOneAsync(queueUrl);
        Assert.Equal(
            """{"job_id":59112233452,"run_id":9000000001,"repo":"acme/app","instance_type":"c7g.xlarge","""
                + """ "pool":"default","spot":false,"retry_count":2,"force_on_demand":true}""".TrimStart(),
            message.Body);
        Assert.Equal(fifo ? "59112233452" : null, message.Attributes?.GetValueOrDefault("MessageGroupId"));
        Assert.Equal(
            [JobMetrics.JobFailure, BootstrapFailureMetrics.JobsRequeued],
            fleet.Metrics.All.Select(m => m.Name).ToArray());
        Assert.False(fleet.HasParameters(Instance));
        Assert.Equal("59112233452", run.Final.SearchAttributes?.Get(RunsFleetSearchAttributes.JobId));
    }

    [Fact]
    public async Task Job_at_the_retry_cap_is_given_up_and_counted_as_a_scheduling_failure()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        await using var fleet = await StartAsync(queueUrl);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created, retryCount: 2);
        var running = RunsFleetSeed.Running(launched, Created.AddSeconds(30));
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, running);

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal([Find, Clean, Count], run.ActivityTypes);
        Assert.Equal(BootstrapRequeue.RetryCapReached, run.Result<JobTerminationResult>().Requeue);
        Assert.Equal(JobItems.Render(running), await RenderAsync(fleet, JobId));
        var givenUp = fleet.Metrics.Single(BootstrapFailureMetrics.SchedulingFailure);
        Assert.Equal("bootstrap_failed", givenUp.Dimensions["TaskType"]);
        await AssertEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task Without_a_job_queue_nothing_is_requeued_and_the_result_says_so()
    {
        await using var fleet = await TerminationFleet.StartAsync(dynalite, withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, launched);

        var run = await DeliverSampleAsync(fleet);

        var result = run.Result<JobTerminationResult>();
        Assert.Equal(
            (JobTerminationOutcome.BootstrapFailureCleanedUp, (BootstrapRequeue?)BootstrapRequeue.NoQueue),
            (result.Outcome, result.Requeue));
        var why = $"job {JobId} not requeued: RUNS_FLEET_QUEUE_URL is not set";
        Assert.Contains(why, result.Detail, StringComparison.Ordinal);
        Assert.Equal(JobItems.Render(launched), await RenderAsync(fleet, JobId));
        Assert.Equal([JobMetrics.JobFailure], fleet.Metrics.All.Select(m => m.Name).ToArray());
    }

    [Fact]
    public async Task A_send_that_fails_for_good_undoes_the_flip_exactly_and_fails_the_run_after_the_clean_up()
    {
        var missingQueue = fauxqs.ServiceUrl.TrimEnd('/') + "/000000000000/runs-fleet-main-gone.fifo";
        await using var fleet = await StartAsync(missingQueue);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created, pool: "default");
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, launched);
        fleet.SeedParameters(Instance);

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal([Find, Flip, Send, Undo, Clean, Count], run.ActivityTypes);
        Assert.NotNull(run.Steps[2].Failure);
        var failure = Assert.IsType<ApplicationFailureException>(run.Final.WorkflowException);
        Assert.Equal(run.Steps[2].Failure!.ErrorType, failure.ErrorType);
        var what = $"job {JobId} not requeued: the message was not sent; record restored to launched";
        Assert.Contains(what, failure.Message, StringComparison.Ordinal);

        // Back to exactly what runs-fleet wrote: status launched, no requeued_at.
        Assert.Equal(JobItems.Render(launched), await RenderAsync(fleet, JobId));
        Assert.False(fleet.HasParameters(Instance));
        Assert.Equal([JobMetrics.JobFailure], fleet.Metrics.All.Select(m => m.Name).ToArray());
    }

    [Fact]
    public async Task A_record_that_moved_on_during_the_failed_send_is_not_undone()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        await using var fleet = await StartAsync(queueUrl);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, RunsFleetSeed.Launched(JobId, Instance, Created));

        // While the send is failing, runs-fleet's watchdog requeues the job and a worker claims it.
        var claimed = RunsFleetSeed.Claiming(JobId, Created.AddMinutes(6), attempts: 1);
        fleet.BeforeActivity = async activity =>
        {
            if (activity.Type == Send)
            {
                await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, claimed);
                throw new ApplicationFailureException(
                    "SendMessage failed with AccessDenied: no", errorType: "AccessDenied", nonRetryable: true);
            }
        };

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal(new UndoJobRequeuedResult(false, "claiming"), run.Steps[3].Result);
        Assert.Equal(JobItems.Render(claimed), await RenderAsync(fleet, JobId));
        var failure = Assert.IsType<ApplicationFailureException>(run.Final.WorkflowException);
        Assert.Equal("AccessDenied", failure.ErrorType);
        Assert.Contains("record not restored, it is claiming now", failure.Message, StringComparison.Ordinal);
        await AssertEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task Another_actors_requeue_before_the_flip_is_left_to_it()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        await using var fleet = await StartAsync(queueUrl);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, launched);
        var requeued = RunsFleetSeed.Requeued(launched, Created.AddMinutes(5));
        fleet.BeforeActivity = async activity =>
        {
            if (activity.Type == Flip)
            {
                await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, requeued);
            }
        };

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal([Find, Flip, Clean, Count], run.ActivityTypes);
        Assert.Equal(BootstrapRequeue.RecordMovedOn, run.Result<JobTerminationResult>().Requeue);
        Assert.Equal(JobItems.Render(requeued), await RenderAsync(fleet, JobId));
        await AssertEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task Legacy_record_with_an_empty_pool_is_requeued_without_it()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        await using var fleet = await StartAsync(queueUrl);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, RunsFleetSeed.LegacyEmptyPool(launched));

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal(BootstrapRequeue.Requeued, run.Result<JobTerminationResult>().Requeue);
        Assert.Equal(
            JobItems.Render(RunsFleetSeed.Requeued(launched, fleet.Clock.GetUtcNow())),
            await RenderAsync(fleet, JobId));
        Assert.DoesNotContain("\"pool\"", (await ReceiveOneAsync(queueUrl)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finished_and_orphaned_records_of_the_instance_are_never_requeued()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        await using var fleet = await StartAsync(queueUrl);
        var launched = RunsFleetSeed.Launched(JobId, Instance, Created);
        var ended = RunsFleetSeed.Ended(launched, "failure", Created.AddMinutes(3));
        var old = RunsFleetSeed.Launched(JobId + 1, Instance, Created.AddHours(-8));
        var orphaned = RunsFleetSeed.Orphaned(old, Created);
        await RunsFleetSeed.PutAsync(fleet.Db, fleet.Table, ended, orphaned);

        var run = await DeliverSampleAsync(fleet);

        Assert.Equal(BootstrapRequeue.NoJob, run.Result<JobTerminationResult>().Requeue);
        Assert.Equal(JobItems.Render(ended), await RenderAsync(fleet, JobId));
        Assert.Equal(JobItems.Render(orphaned), await RenderAsync(fleet, JobId + 1));
        await AssertEmptyAsync(queueUrl);
    }

    private Task<TerminationFleet> StartAsync(string queueUrl) =>
        TerminationFleet.StartAsync(dynalite, fauxqs, queueUrl, withAddedIndexes: false);

    private static Task<StepThroughRun> DeliverSampleAsync(TerminationFleet fleet) =>
        fleet.DeliverAsync(SampleMessages.Read("termination", "bootstrap-failed.json"));

    private static async Task<string> RenderAsync(TerminationFleet fleet, long jobId) =>
        JobItems.Render(await JobItems.GetAsync(fleet.Db, fleet.Table, jobId));

    private async Task<string> CreateQueueAsync(bool fifo)
    {
        var name = "runs-fleet-main-" + Guid.NewGuid().ToString("N")[..12] + (fifo ? ".fifo" : string.Empty);
        var attributes = fifo
            ? new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" }
            : [];
        var created = await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes });
        return created.QueueUrl;
    }

    private async Task<Message> ReceiveOneAsync(string queueUrl)
    {
        var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 1,
            MessageSystemAttributeNames = ["All"],
        });
        return Assert.Single(response.Messages ?? []);
    }

    private async Task AssertEmptyAsync(string queueUrl)
    {
        var response = await _sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
        Assert.Empty(response.Messages ?? []);
    }
}
