using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>
/// Every Query of a jobs-table index against runs-fleet's table alone (dynalite, which answers a
/// missing index as DynamoDB does): the activity refuses, non-retryable, as IndexMissing with the
/// preflight's fix; a missing table still fails (or fails closed) as before.
/// </summary>
public sealed class MissingIndexTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>, IAsyncLifetime
{
    private AmazonDynamoDBClient _dynamo = null!;
    private JobsTableOptions _table = null!;

    public async Task InitializeAsync()
    {
        _dynamo = dynalite.CreateClient();
        _table = new JobsTableOptions { TableName = await dynalite.CreateJobsTableAsync(withAddedIndexes: false) };
    }

    public Task DisposeAsync()
    {
        _dynamo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Dynalite_answers_a_missing_index_with_dynamodbs_own_words()
    {
        var query = OrphanedJobRequests.Page(_table, new OrphanedJobScanRequest("running", null, 10, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 10));

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.QueryAsync(query));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("The table does not have the specified index: status-created_at-index", error.Message);
    }

    [Fact]
    public async Task OrphanedJobSweep_refuses_with_the_fix()
    {
        var activities = new OrphanedJobSweepActivities(
            _dynamo,
            AwsClients.Ec2("http://127.0.0.1:9", maxErrorRetry: 0),
            AwsClients.Ssm("http://127.0.0.1:9", maxErrorRetry: 0),
            Options.Create(_table),
            Options.Create(new OrphanedJobSweepOptions()),
            Options.Create(new RunnerParameterOptions()),
            new RecordingMetricsSink(),
            new FakeTimeProvider(),
            NullLogger<OrphanedJobSweepActivities>.Instance);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => activities.ScanOrphanedJobPageAsync(new OrphanedJobScanRequest("running", null, 10, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 10))));

        AssertIndexMissing(failure, JobsIndexRequirement.ActiveJobs(_table));
    }

    [Fact]
    public async Task OldJobArchival_refuses_with_the_fix()
    {
        using var s3 = AwsClients.S3("http://127.0.0.1:9", maxErrorRetry: 0);
        var activities = new JobArchiveActivities(
            _dynamo, s3, Options.Create(_table), Options.Create(new JobArchiveOptions()), new RecordingMetricsSink(), new FakeTimeProvider(), NullLogger<JobArchiveActivities>.Instance);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => activities.ArchiveJobPageAsync(new JobArchivePageRequest { Status = "completed", Cutoff = "2026-01-01T00:00:00Z", PageSize = 10, DryRun = true })));

        AssertIndexMissing(failure, JobsIndexRequirement.CompletedAt(_table));
    }

    [Fact]
    public async Task OrphanSweep_and_PoolAudit_active_job_read_refuses_instead_of_failing_closed_forever()
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => new ActiveJobIndexReader(_dynamo, _table).ReadAsync(null, CancellationToken.None));

        AssertIndexMissing(failure, JobsIndexRequirement.ActiveJobs(_table));
    }

    [Fact]
    public async Task The_instance_id_index_readers_refuse_when_it_is_renamed_away()
    {
        var renamed = new JobsTableOptions { TableName = _table.TableName, InstanceIdIndex = "instance_id-index" };

        var finder = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => new ActiveJobFinder(_dynamo, renamed).FindAsync("i-0123456789abcdef0", CancellationToken.None));
        var termination = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => new JobRecordActivities(_dynamo, Options.Create(renamed), NullLogger<JobRecordActivities>.Instance).FindActiveJobsOfInstanceAsync("i-0123456789abcdef0")));
        using var sqs = AwsClients.Sqs("http://127.0.0.1:9", maxErrorRetry: 0);
        var requeue = await Assert.ThrowsAsync<ApplicationFailureException>(() => new ActivityEnvironment().RunAsync(
            () => new JobRequeueActivities(
                _dynamo, sqs, Options.Create(renamed), Options.Create(new JobQueueOptions()), new FakeTimeProvider(), NullLogger<JobRequeueActivities>.Instance)
                .FindRequeueCandidateAsync("i-0123456789abcdef0")));

        AssertIndexMissing(finder, JobsIndexRequirement.InstanceId(renamed));
        AssertIndexMissing(termination, JobsIndexRequirement.InstanceId(renamed));
        AssertIndexMissing(requeue, JobsIndexRequirement.InstanceId(renamed));
        // runs-fleet's own name is there: the same readers work.
        Assert.Equal(JobLookupOutcome.NoActiveJob, (await new ActiveJobFinder(_dynamo, _table).FindAsync("i-0123456789abcdef0", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_missing_table_is_not_a_missing_index()
    {
        var set = await new ActiveJobIndexReader(_dynamo, new JobsTableOptions { TableName = "no-such-table" }).ReadAsync(null, CancellationToken.None);

        Assert.StartsWith("active jobs read failed: ResourceNotFoundException", set.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ValidationException", "The table does not have the specified index: status-created_at-index", true)]
    [InlineData("ValidationException", "Cannot read from backfilling global secondary index: status-created_at-index", true)]
    [InlineData("ResourceNotFoundException", "Requested resource not found: Index: status-created_at-index not found", true)]
    [InlineData("ResourceNotFoundException", "Requested resource not found", false)]
    [InlineData("ValidationException", "One or more parameter values were invalid: Condition parameter type does not match schema type", false)]
    [InlineData("ProvisionedThroughputExceededException", "The table does not have the specified index: status-created_at-index", false)]
    public void Real_dynamodbs_answers_for_a_missing_or_backfilling_index_are_recognized(string code, string message, bool missing)
    {
        Assert.Equal(missing, MissingIndex.Matches(code, message, "status-created_at-index"));
    }

    [Fact]
    public void A_backfilling_index_says_to_wait()
    {
        var failure = MissingIndex.Failure(_table, "completed_at-index", "ValidationException", "Cannot read from backfilling global secondary index: completed_at-index");

        Assert.Equal(FailureTypes.IndexMissing, failure.ErrorType);
        Assert.Contains($"Fix: wait until it is ACTIVE: {IndexFix.WaitCommand(_table.TableName, "completed_at-index")}", failure.Message, StringComparison.Ordinal);
        Assert.Contains(FailureTypes.IndexMissing, FailureTypes.NonRetryable);
    }

    private void AssertIndexMissing(ApplicationFailureException failure, JobsIndexRequirement index)
    {
        Assert.Equal(FailureTypes.IndexMissing, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(
            $"Query {index.Name} of {_table.TableName} refused: the jobs table has no index {index.Name} ({index.KeysText}; projection {index.ProjectionText}) "
            + $"(ValidationException: The table does not have the specified index: {index.Name}). "
            + $"Fix: {IndexFix.CreateCommand(_table.TableName, index)} . Terraform: {IndexFix.TerraformSummary(index)}. `runs-fleet doctor` checks every index",
            failure.Message);
    }
}
