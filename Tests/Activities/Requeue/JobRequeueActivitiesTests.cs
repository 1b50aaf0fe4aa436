using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Requeue;
using RunsFleet.Tests.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Requeue;

/// <summary>
/// The requeue steps against dynalite (a table as runs-fleet's dynamodb.tf creates it, records as its
/// Go code writes them) and fauxqs as runs-fleet's job queue, FIFO and standard.
/// </summary>
public sealed class JobRequeueActivitiesTests(DynaliteFixture dynalite, FauxqsFixture fauxqs)
    : IClassFixture<DynaliteFixture>, IClassFixture<FauxqsFixture>, IDisposable
{
    private const string Me = JobItems.Instance;
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 13, 40, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 20, 1, TimeSpan.Zero);

    private readonly AmazonDynamoDBClient _db = dynalite.CreateClient();
    private readonly AmazonSQSClient _sqs = fauxqs.CreateSqsClient();
    private readonly ActivityEnvironment _env = new();

    public void Dispose()
    {
        _db.Dispose();
        _sqs.Dispose();
    }

    [Fact]
    public async Task Lookup_finds_the_one_running_or_launched_job_among_the_instances_records()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(
            4001, Me, Created, pool: "default", instanceType: "c7g.xlarge", retryCount: 1);
        launched["original_label"] = new AttributeValue { S = "runs-fleet=123/pool=default" };
        await RunsFleetSeed.PutAsync(
            _db,
            table,
            RunsFleetSeed.Ended(
                RunsFleetSeed.Launched(4000, Me, Created.AddHours(-2)), "success", Created.AddHours(-1)),
            RunsFleetSeed.Orphaned(RunsFleetSeed.Launched(3999, Me, Created.AddHours(-9)), Created.AddHours(-2)),
            RunsFleetSeed.Requeued(RunsFleetSeed.Launched(3998, Me, Created.AddHours(-3)), Created.AddHours(-3)),
            launched,
            RunsFleetSeed.Launched(4002, JobItems.OtherInstance, Created));

        var activities = Activities(table, "https://sqs.example/q.fifo");

        var lookup = await _env.RunAsync(() => activities.FindRequeueCandidateAsync(Me));

        Assert.Equal(
            new RequeueCandidate(
                4001, 9_000_000_001, "acme/app", "c7g.xlarge", "default", 1, "launched", "runs-fleet=123/pool=default"),
            lookup.Candidate);
        Assert.Equal((1, true), (lookup.ActiveJobs, lookup.QueueConfigured));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public async Task Lookup_without_exactly_one_job_names_none(int jobs, int reported)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        for (var i = 0; i < jobs; i++)
        {
            var launched = RunsFleetSeed.Launched(4010 + i, Me, Created.AddMinutes(i));
            var record = i == 0 ? RunsFleetSeed.Running(launched, Created.AddMinutes(1)) : launched;
            await RunsFleetSeed.PutAsync(_db, table, record);
        }

        var lookup = await _env.RunAsync(() => Activities(table, null).FindRequeueCandidateAsync(Me));

        Assert.Equal(
            ((RequeueCandidate?)null, reported, false),
            (lookup.Candidate, lookup.ActiveJobs, lookup.QueueConfigured));
    }

    [Theory]
    [InlineData("launched")]
    [InlineData("running")]
    public async Task Flip_marks_the_record_requeued_with_requeued_at_and_returns_it_as_it_was(string status)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(4020, Me, Created, pool: "default");
        var record = status == "running" ? RunsFleetSeed.Running(launched, Created.AddSeconds(20)) : launched;
        await RunsFleetSeed.PutAsync(_db, table, record);

        var flip = await FlipAsync(table, 4020);

        Assert.Equal((true, status, "2026-11-30T09:20:01Z"), (flip.Flipped, flip.PreviousStatus, flip.RequeuedAt));
        Assert.Equal(RequeueRequests.ToCandidate(record), flip.Record);

        // Exactly what runs-fleet's markJobRequeued leaves (jobs.go:1225).
        Assert.Equal(
            JobItems.Render(RunsFleetSeed.Requeued(record, Now)),
            JobItems.Render(await JobItems.GetAsync(_db, table, 4020)));
    }

    public static TheoryData<string, string?> Refusals => new()
    {
        { "other-instance", "launched" },
        { "claiming", "claiming" },
        { "requeued", "requeued" },
        { "orphaned", "orphaned" },
        { "success", "success" },
        { "at-cap", "launched" },
        { "missing", null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Flip_is_refused_unless_the_record_is_this_instances_running_or_launched_job_under_the_cap(
        string shape, string? status)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var instance = shape == "other-instance" ? JobItems.OtherInstance : Me;
        var launched = RunsFleetSeed.Launched(4030, instance, Created, retryCount: shape == "at-cap" ? 2 : 0);
        Dictionary<string, AttributeValue>? record = shape switch
        {
            "claiming" => RunsFleetSeed.Claiming(4030, Created),
            "requeued" => RunsFleetSeed.Requeued(launched, Created.AddMinutes(2)),
            "orphaned" => RunsFleetSeed.Orphaned(launched, Created.AddHours(7)),
            "success" => RunsFleetSeed.Ended(launched, "success", Created.AddMinutes(9)),
            "missing" => null,
            _ => launched,
        };
        if (record is not null)
        {
            await RunsFleetSeed.PutAsync(_db, table, record);
        }

        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 4030));

        var flip = await FlipAsync(table, 4030);

        Assert.Equal((false, status), (flip.Flipped, flip.CurrentStatus));
        Assert.Null(flip.Record);
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 4030)));
    }

    [Fact]
    public async Task Flip_of_a_legacy_record_removes_its_empty_pool()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(4040, Me, Created);
        await RunsFleetSeed.PutAsync(_db, table, RunsFleetSeed.LegacyEmptyPool(launched));

        var flip = await FlipAsync(table, 4040);

        Assert.True(flip.Flipped);
        Assert.Equal(string.Empty, flip.Record!.Pool);
        Assert.Equal(JobItems.Render(RunsFleetSeed.Requeued(launched, Now)), await RenderAsync(table, 4040));
    }

    [Fact]
    public async Task Fifo_send_carries_runs_fleets_body_group_and_deduplication_id()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        var message = new RequeueMessage(
            59112233445, 9_000_000_001, "acme/app", "c7g.xlarge", "default", 1, "runs-fleet=1/pool=default");

        var sent = await _env.RunAsync(() => Activities("unused", queueUrl).SendRequeueMessageAsync(message));

        var received = await ReceiveOneAsync(queueUrl);
        Assert.Equal(
            """{"job_id":59112233445,"run_id":9000000001,"repo":"acme/app","instance_type":"c7g.xlarge","""
                + """ "pool":"default","spot":false,"original_label":"runs-fleet=1/pool=default","""
                    .TrimStart()
                + """ "retry_count":1,"force_on_demand":true}""".TrimStart(),
            received.Body);

        // sha256("59112233445-1"), computed independently: pkg/queue/sqs.go:85.
        const string dedup = "12d4f927a35a79d5eaa00e17b341a18a10b8a8d3aeab7853f869c95f36c307dc";
        Assert.Equal(("59112233445", dedup), (sent.MessageGroupId, sent.DeduplicationId));
        Assert.Equal("59112233445", received.Attributes["MessageGroupId"]);
        Assert.Equal(dedup, received.Attributes["MessageDeduplicationId"]);
        Assert.Equal(received.MessageId, sent.MessageId);
    }

    [Fact]
    public async Task Fifo_queue_drops_a_repeated_send_of_the_same_requeue()
    {
        var queueUrl = await CreateQueueAsync(fifo: true);
        var message = new RequeueMessage(4050, 9_000_000_001, "acme/app", "m7g.large", string.Empty, 1, string.Empty);
        var activities = Activities("unused", queueUrl);

        await _env.RunAsync(() => activities.SendRequeueMessageAsync(message));
        await _env.RunAsync(() => activities.SendRequeueMessageAsync(message));

        await ReceiveOneAsync(queueUrl);
        await AssertEmptyAsync(queueUrl);
    }

    [Fact]
    public async Task Standard_send_has_no_group_and_leaves_the_empty_fields_out()
    {
        var queueUrl = await CreateQueueAsync(fifo: false);
        var message = new RequeueMessage(4060, 0, string.Empty, string.Empty, string.Empty, 2, string.Empty);

        var sent = await _env.RunAsync(() => Activities("unused", queueUrl).SendRequeueMessageAsync(message));

        var received = await ReceiveOneAsync(queueUrl);
        Assert.Equal(
            """{"job_id":4060,"run_id":0,"instance_type":"","spot":false,"retry_count":2,"force_on_demand":true}""",
            received.Body);
        Assert.Equal(((string?)null, (string?)null), (sent.MessageGroupId, sent.DeduplicationId));
        Assert.False(received.Attributes?.ContainsKey("MessageGroupId") ?? false);
    }

    [Fact]
    public async Task Send_to_a_queue_that_does_not_exist_fails_for_good_typed_by_the_sqs_error()
    {
        var missing = $"{fauxqs.ServiceUrl.TrimEnd('/')}/000000000000/no-such-queue-{Guid.NewGuid():N}.fifo";
        var message = new RequeueMessage(4070, 1, "acme/app", "m7g.large", string.Empty, 1, string.Empty);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities("unused", missing).SendRequeueMessageAsync(message)));

        Assert.StartsWith("SendMessage failed with ", failure.Message, StringComparison.Ordinal);
        Assert.Equal(("AWS.SimpleQueueService.NonExistentQueue", true), (failure.ErrorType, failure.NonRetryable));
    }

    [Fact]
    public async Task Send_without_a_queue_fails_non_retryable()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _env.RunAsync(() => Activities("unused", null)
                .SendRequeueMessageAsync(new RequeueMessage(1, 1, "r", "t", "p", 1, "l"))));

        Assert.Equal(("InvalidInput", true), (failure.ErrorType, failure.NonRetryable));
    }

    [Fact]
    public async Task Undo_restores_the_status_and_removes_requeued_at()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(4080, Me, Created, pool: "default");
        await RunsFleetSeed.PutAsync(_db, table, launched);
        var flip = await FlipAsync(table, 4080);

        var undo = await _env.RunAsync(() => Activities(table, null).UndoJobRequeuedAsync(
            new UndoJobRequeuedRequest(4080, Me, flip.PreviousStatus!, flip.RequeuedAt!)));

        Assert.Equal(new UndoJobRequeuedResult(true, "launched"), undo);
        Assert.Equal(JobItems.Render(launched), JobItems.Render(await JobItems.GetAsync(_db, table, 4080)));
    }

    [Theory]
    [InlineData("claimed")]
    [InlineData("other-flip")]
    [InlineData("relaunched")]
    public async Task Undo_is_refused_once_the_record_moved_on(string change)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(4090, Me, Created);
        await RunsFleetSeed.PutAsync(_db, table, launched);
        var flip = await FlipAsync(table, 4090);

        // runs-fleet moves on meanwhile: a worker claims the record, another sweep flips it again later,
        // or the job is already launched on a new instance.
        var moved = change switch
        {
            "claimed" => RunsFleetSeed.Claiming(4090, Now.AddSeconds(3), attempts: 1),
            "other-flip" => RunsFleetSeed.Requeued(launched, Now.AddMinutes(1)),
            _ => RunsFleetSeed.Launched(4090, JobItems.OtherInstance, Now.AddMinutes(1), retryCount: 1),
        };
        await RunsFleetSeed.PutAsync(_db, table, moved);

        var undo = await _env.RunAsync(() => Activities(table, null).UndoJobRequeuedAsync(
            new UndoJobRequeuedRequest(4090, Me, flip.PreviousStatus!, flip.RequeuedAt!)));

        Assert.False(undo.Undone);
        Assert.Equal(moved["status"].S, undo.CurrentStatus);
        Assert.Equal(JobItems.Render(moved), JobItems.Render(await JobItems.GetAsync(_db, table, 4090)));
    }

    private JobRequeueActivities Activities(string table, string? queueUrl) =>
        new(
            _db,
            _sqs,
            Options.Create(new JobsTableOptions { TableName = table }),
            Options.Create(new JobQueueOptions { QueueUrl = queueUrl }),
            new FakeTimeProvider(Now),
            NullLogger<JobRequeueActivities>.Instance);

    // runs-fleet's main queue is FIFO with content-based deduplication (queues.tf); the explicit id wins.
    private async Task<string> CreateQueueAsync(bool fifo)
    {
        var name = "runs-fleet-main-" + Guid.NewGuid().ToString("N")[..12] + (fifo ? ".fifo" : string.Empty);
        var attributes = fifo
            ? new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" }
            : [];
        var created = await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes });
        return created.QueueUrl;
    }

    private async Task AssertEmptyAsync(string queueUrl)
    {
        var response = await _sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
        Assert.Empty(response.Messages ?? []);
    }

    private Task<MarkJobRequeuedResult> FlipAsync(string table, long jobId) =>
        _env.RunAsync(() => Activities(table, null).MarkJobRequeuedAsync(new MarkJobRequeuedRequest(jobId, Me)));

    private async Task<string> RenderAsync(string table, long jobId) =>
        JobItems.Render(await JobItems.GetAsync(_db, table, jobId));

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
}
