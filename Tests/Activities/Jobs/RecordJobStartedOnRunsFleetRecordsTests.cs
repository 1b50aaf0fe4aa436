using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>
/// RecordJobStarted on the records runs-fleet's Go code writes (<see cref="RunsFleetSeed"/>), in a
/// table exactly as runs-fleet's dynamodb.tf creates it: a start report does what runs-fleet's
/// MarkJobStarted does (launched -> running with started_at), plus claiming, and leaves every other
/// record as it is.
/// </summary>
public sealed class RecordJobStartedOnRunsFleetRecordsTests(DynaliteFixture dynalite)
    : IClassFixture<DynaliteFixture>, IDisposable
{
    private const string Me = JobItems.Instance;
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 13, 40, TimeSpan.Zero);
    private static readonly DateTimeOffset Started = new(2026, 11, 30, 9, 14, 3, 512, TimeSpan.Zero);

    private readonly AmazonDynamoDBClient _db = dynalite.CreateClient();
    private readonly ActivityEnvironment _env = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Cold_start_launched_record_becomes_exactly_what_runs_fleets_MarkJobStarted_writes()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(3001, Me, Created, instanceType: "c7g.xlarge");
        await RunsFleetSeed.PutAsync(_db, table, launched);

        var result = await StartAsync(table, 3001);

        Assert.Equal(
            new RecordJobStartedResult(
                RecordJobStartedOutcome.Recorded,
                null,
                "running",
                "2026-11-30T09:14:03Z",
                Created,
                "c7g.xlarge",
                WarmPoolHit: false,
                HotPoolHit: false),
            result);
        Assert.Equal(JobItems.Render(RunsFleetSeed.Running(launched, Started)), await RenderAsync(table, 3001));
    }

    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public async Task Pool_hits_of_the_record_are_reported_for_the_provision_source(
        bool hot, bool warmExpected, bool hotExpected)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var launched = RunsFleetSeed.Launched(3002, Me, Created, pool: "default");
        if (hot)
        {
            launched["hot_pool_hit"] = new AttributeValue { BOOL = true };
        }

        await RunsFleetSeed.PutAsync(_db, table, launched);

        var result = await StartAsync(table, 3002);

        Assert.Equal(
            (RecordJobStartedOutcome.Recorded, "default", warmExpected, hotExpected),
            (result.Outcome, result.Pool, result.WarmPoolHit, result.HotPoolHit));
    }

    [Fact]
    public async Task Claiming_record_of_this_instance_moves_to_running_too()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var claiming = RunsFleetSeed.Claiming(3003, Created);
        claiming["instance_id"] = new AttributeValue { S = Me };
        await RunsFleetSeed.PutAsync(_db, table, claiming);

        var result = await StartAsync(table, 3003);

        Assert.Equal(RecordJobStartedOutcome.Recorded, result.Outcome);
        var item = await JobItems.GetAsync(_db, table, 3003);
        Assert.Equal(("running", "2026-11-30T09:14:03Z"), (item!["status"].S, item["started_at"].S));
    }

    [Fact]
    public async Task Claim_stub_without_instance_is_retried_until_runs_fleet_saves_the_launch()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        await RunsFleetSeed.PutAsync(_db, table, RunsFleetSeed.Claiming(3004, Created));
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 3004));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => StartAsync(table, 3004));

        Assert.Equal((FailureTypes.JobNotLaunched, false), (failure.ErrorType, failure.NonRetryable));
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 3004)));

        // SaveJob lands (launched with this instance): the retried report now confirms it.
        await RunsFleetSeed.PutAsync(_db, table, RunsFleetSeed.Launched(3004, Me, Created));
        Assert.Equal(RecordJobStartedOutcome.Recorded, (await StartAsync(table, 3004)).Outcome);
    }

    [Fact]
    public async Task Running_record_keeps_its_started_at()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var running = RunsFleetSeed.Running(RunsFleetSeed.Launched(3005, Me, Created), Started.AddSeconds(-20));
        await RunsFleetSeed.PutAsync(_db, table, running);

        var result = await StartAsync(table, 3005);

        Assert.Equal(
            new RecordJobStartedResult(
                RecordJobStartedOutcome.AlreadyRecorded, null, "running", "2026-11-30T09:13:43Z"),
            result);
        Assert.Equal(JobItems.Render(running), JobItems.Render(await JobItems.GetAsync(_db, table, 3005)));
    }

    public static TheoryData<string, RecordJobStartedOutcome> LeftAlone => new()
    {
        { "orphaned", RecordJobStartedOutcome.NotStartable },
        { "requeued", RecordJobStartedOutcome.NotStartable },
        { "terminating", RecordJobStartedOutcome.NotStartable },
        { "success", RecordJobStartedOutcome.AlreadyTerminal },
        { "failure", RecordJobStartedOutcome.AlreadyTerminal },
        { "completed", RecordJobStartedOutcome.AlreadyTerminal },
        { "error", RecordJobStartedOutcome.AlreadyTerminal },
        { "cancelled", RecordJobStartedOutcome.AlreadyTerminal },
        { "other-instance", RecordJobStartedOutcome.OwnedByOtherInstance },
    };

    [Theory]
    [MemberData(nameof(LeftAlone))]
    public async Task Every_other_record_is_left_exactly_as_it_is(string shape, RecordJobStartedOutcome expected)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var instance = shape == "other-instance" ? JobItems.OtherInstance : Me;
        var launched = RunsFleetSeed.Launched(3006, instance, Created, pool: "default");
        var at = Created.AddHours(7);
        var record = shape switch
        {
            "orphaned" => RunsFleetSeed.Orphaned(launched, at),
            "requeued" => RunsFleetSeed.Requeued(launched, at),
            "terminating" => RunsFleetSeed.Terminating(launched),
            "other-instance" => launched,
            _ => RunsFleetSeed.Ended(launched, shape, at),
        };
        await RunsFleetSeed.PutAsync(_db, table, record);
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 3006));

        var result = await StartAsync(table, 3006);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 3006)));
    }

    [Fact]
    public async Task Legacy_launched_record_with_an_empty_pool_is_confirmed_and_loses_the_empty_pool()
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var legacy = RunsFleetSeed.LegacyEmptyPool(RunsFleetSeed.Launched(3007, Me, Created));
        await RunsFleetSeed.PutAsync(_db, table, legacy);

        var result = await StartAsync(table, 3007);

        Assert.Equal((RecordJobStartedOutcome.Recorded, (string?)null), (result.Outcome, result.Pool));
        var expected = RunsFleetSeed.Running(RunsFleetSeed.Launched(3007, Me, Created), Started);
        Assert.Equal(JobItems.Render(expected), JobItems.Render(await JobItems.GetAsync(_db, table, 3007)));
    }

    [Fact]
    public async Task Another_empty_index_key_is_not_mistaken_for_a_legacy_pool()
    {
        // created_at "" is a key of this project's status-created_at-index: the refusal is not about
        // the pool, so the retry's pool condition fails and the original ValidationException stands.
        var table = await dynalite.CreateJobsTableAsync();
        var record = RunsFleetSeed.Launched(3008, Me, Created, pool: "default");
        record["created_at"] = new AttributeValue { S = string.Empty };
        record[DynaliteFixture.SeedUncheckedAttribute] = new AttributeValue { BOOL = true };
        await RunsFleetSeed.PutAsync(_db, table, record);
        var before = JobItems.Render(await JobItems.GetAsync(_db, table, 3008));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => StartAsync(table, 3008));

        Assert.Equal(("ValidationException", true), (failure.ErrorType, failure.NonRetryable));
        Assert.Equal(before, JobItems.Render(await JobItems.GetAsync(_db, table, 3008)));
    }

    private Task<RecordJobStartedResult> StartAsync(string table, long jobId) =>
        _env.RunAsync(() => Activities(table).RecordJobStartedAsync(new RecordJobStartedRequest(jobId, Me, Started)));

    private async Task<string> RenderAsync(string table, long jobId) =>
        JobItems.Render(await JobItems.GetAsync(_db, table, jobId));

    private JobRecordActivities Activities(string table) =>
        new(_db, Options.Create(new JobsTableOptions { TableName = table }), NullLogger<JobRecordActivities>.Instance);
}
