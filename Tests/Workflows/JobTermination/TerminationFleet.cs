using Amazon.DynamoDBv2;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Common;
using Temporalio.Testing;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// The JobTermination path with real parts: the bridge's parser, the workflow driven by
/// <see cref="StepThrough"/>, and the real activities against dynalite (jobs table with its
/// instance-id-index), the loopback SSM fake, a recording metrics sink and, when given, fauxqs
/// as runs-fleet's job queue (RUNS_FLEET_QUEUE_URL; without one nothing is requeued).
/// </summary>
internal sealed class TerminationFleet : IAsyncDisposable
{
    public const string Prefix = "/runs-fleet/runners";

    private static readonly DateTimeOffset RunStart = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
    private readonly ActivityEnvironment _env = new();
    private readonly AmazonSimpleSystemsManagementClient _ssmClient;
    private readonly JobRecordActivities _jobs;
    private readonly RunnerParameterActivities _parameters;
    private readonly JobMetricsActivities _metrics;
    private readonly JobRequeueActivities _requeue;
    private readonly AmazonSQSClient _sqsClient;

    private TerminationFleet(AmazonDynamoDBClient db, string table, AmazonSQSClient? sqs, string? queueUrl)
    {
        Db = db;
        Table = table;
        // Without fauxqs no send is ever made (no queue URL): a client nobody listens to stands in.
        _sqsClient = sqs ?? AwsClients.Sqs("http://127.0.0.1:9");
        _ssmClient = AwsClients.Ssm(Ssm.ServiceUrl);
        var tableOptions = Options.Create(new JobsTableOptions { TableName = table });
        _jobs = new JobRecordActivities(db, tableOptions, NullLogger<JobRecordActivities>.Instance);
        _parameters = new RunnerParameterActivities(_ssmClient, Options.Create(new RunnerParameterOptions { Prefix = Prefix }), NullLogger<RunnerParameterActivities>.Instance);
        _metrics = new JobMetricsActivities(Metrics);
        _requeue = new JobRequeueActivities(
            db,
            _sqsClient,
            tableOptions,
            Options.Create(new JobQueueOptions { QueueUrl = queueUrl }),
            Clock,
            NullLogger<JobRequeueActivities>.Instance);
    }

    /// <summary>The activities' clock (requeued_at).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 18, 0, 5, TimeSpan.Zero));

    /// <summary>
    /// Runs before each activity (e.g. a concurrent change of the record); may throw the activity's failure.
    /// </summary>
    public Func<RecordedActivity, Task>? BeforeActivity { get; set; }

    public AmazonDynamoDBClient Db { get; }

    public string Table { get; }

    public FakeSsmServer Ssm { get; } = new();

    public RecordingMetricsSink Metrics { get; } = new();

    /// <summary>
    /// A fleet on a new jobs table; with <paramref name="jobQueueUrl"/> (on <paramref name="fauxqs"/>) failed
    /// bootstraps requeue there.
    /// </summary>
    public static async Task<TerminationFleet> StartAsync(
        DynaliteFixture dynalite,
        FauxqsFixture? fauxqs = null,
        string? jobQueueUrl = null,
        bool withAddedIndexes = true)
    {
        var table = await dynalite.CreateJobsTableAsync(withAddedIndexes: withAddedIndexes);
        return new(dynalite.CreateClient(), table, fauxqs?.CreateSqsClient(), jobQueueUrl);
    }

    /// <summary>The runner's config and credential, as the fleet writes them at launch.</summary>
    public void SeedParameters(string instanceId)
    {
        Ssm.Put($"{Prefix}/{instanceId}/config", "{}");
        Ssm.Put($"{Prefix}/{instanceId}/credential", "token", type: "SecureString");
    }

    public bool HasParameters(string instanceId) => Ssm.Names.Any(n => n.StartsWith($"{Prefix}/{instanceId}/", StringComparison.Ordinal));

    /// <summary>Parses <paramref name="body"/> as the bridge does and runs the workflow the bridge would start.</summary>
    public Task<StepThroughRun> DeliverAsync(string body, string messageId = "sqs-message-1")
    {
        var parsed = TerminationMessageParser.Parse(body, TerminationMessageParser.DefaultMaxBytes, messageId);
        Assert.True(parsed.IsAccepted, parsed.Reason);
        return RunAsync(parsed.Value!);
    }

    public Task<StepThroughRun> RunAsync(JobTerminationInput input)
    {
        // The bridge starts every run with the instance attribute, and the job's when it has one.
        var attributes = new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.InstanceId, input.InstanceId);
        if (input.JobId is { } jobId)
        {
            attributes.Set(RunsFleetSearchAttributes.JobId, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var history = new HistoryBuilder(JobTerminationIds.WorkflowType, input, JobTerminationIds.For(input), startTime: RunStart)
            .WithStartSearchAttributes(attributes.ToSearchAttributeCollection());
        return StepThrough.RunAsync<JobTerminationWorkflow>(history, RunActivityAsync, patches: PatchesOf(input));
    }

    /// <summary>The patch a new run of <paramref name="input"/> records before its first command.</summary>
    public static IReadOnlyList<string> PatchesOf(JobTerminationInput input) => input.Status switch
    {
        JobEndStatus.Started => [WorkflowPatches.StartConfirmsRunning],
        JobEndStatus.BootstrapFailed => [WorkflowPatches.BootstrapFailedRequeue],
        _ => [],
    };

    public async ValueTask DisposeAsync()
    {
        _ssmClient.Dispose();
        _sqsClient.Dispose();
        Db.Dispose();
        await Ssm.DisposeAsync();
    }

    private async Task<object?> RunActivityAsync(RecordedActivity activity)
    {
        if (BeforeActivity is { } before)
        {
            await before(activity);
        }

        return await RunRealActivityAsync(activity);
    }

    private async Task<object?> RunRealActivityAsync(RecordedActivity activity) => activity.Type switch
    {
        "FindActiveJobsOfInstance" => await _env.RunAsync(() => _jobs.FindActiveJobsOfInstanceAsync(activity.Arg<string>())),
        "CompleteJob" => await _env.RunAsync(() => _jobs.CompleteJobAsync(activity.Arg<CompleteJobRequest>())),
        "RecordJobStarted" => await _env.RunAsync(() => _jobs.RecordJobStartedAsync(activity.Arg<RecordJobStartedRequest>())),
        "DeleteRunnerParameters" => await _env.RunAsync(() => _parameters.DeleteRunnerParametersAsync(activity.Arg<string>())),
        "PublishJobMetrics" => await _env.RunAsync(() => _metrics.PublishJobMetricsAsync(activity.Arg<JobMetrics>())),
        "PublishRunnerConfirmedMetrics" =>
            await _env.RunAsync(
                () => _metrics.PublishRunnerConfirmedMetricsAsync(activity.Arg<RunnerConfirmedMetrics>())),
        "PublishBootstrapFailureMetrics" =>
            await _env.RunAsync(
                () => _metrics.PublishBootstrapFailureMetricsAsync(activity.Arg<BootstrapFailureMetrics>())),
        "FindRequeueCandidate" => await _env.RunAsync(() => _requeue.FindRequeueCandidateAsync(activity.Arg<string>())),
        "MarkJobRequeued" =>
            await _env.RunAsync(() => _requeue.MarkJobRequeuedAsync(activity.Arg<MarkJobRequeuedRequest>())),
        "SendRequeueMessage" =>
            await _env.RunAsync(() => _requeue.SendRequeueMessageAsync(activity.Arg<RequeueMessage>())),
        "UndoJobRequeued" =>
            await _env.RunAsync(() => _requeue.UndoJobRequeuedAsync(activity.Arg<UndoJobRequeuedRequest>())),
        _ => throw new InvalidOperationException($"JobTermination scheduled an unknown activity {activity.Type}"),
    };
}
