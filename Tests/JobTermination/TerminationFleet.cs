using Amazon.DynamoDBv2;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.Support;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Common;
using Temporalio.Testing;

namespace RunsFleet.Tests.JobTermination;

/// <summary>
/// The JobTermination path with real parts: the bridge's parser, the workflow driven by
/// <see cref="StepThrough"/>, and the real activities against dynalite (jobs table with its
/// instance-id-index), the loopback SSM fake and a recording metrics sink.
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

    private TerminationFleet(AmazonDynamoDBClient db, string table)
    {
        Db = db;
        Table = table;
        _ssmClient = AwsClients.Ssm(Ssm.ServiceUrl);
        _jobs = new JobRecordActivities(db, Options.Create(new JobsTableOptions { TableName = table }), NullLogger<JobRecordActivities>.Instance);
        _parameters = new RunnerParameterActivities(_ssmClient, Options.Create(new RunnerParameterOptions { Prefix = Prefix }), NullLogger<RunnerParameterActivities>.Instance);
        _metrics = new JobMetricsActivities(Metrics);
    }

    public AmazonDynamoDBClient Db { get; }

    public string Table { get; }

    public FakeSsmServer Ssm { get; } = new();

    public RecordingMetricsSink Metrics { get; } = new();

    public static async Task<TerminationFleet> StartAsync(DynaliteFixture dynalite) =>
        new(dynalite.CreateClient(), await dynalite.CreateJobsTableAsync());

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
        return StepThrough.RunAsync<JobTerminationWorkflow>(history, RunActivityAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _ssmClient.Dispose();
        Db.Dispose();
        await Ssm.DisposeAsync();
    }

    private async Task<object?> RunActivityAsync(RecordedActivity activity) => activity.Type switch
    {
        "FindActiveJobsOfInstance" => await _env.RunAsync(() => _jobs.FindActiveJobsOfInstanceAsync(activity.Arg<string>())),
        "CompleteJob" => await _env.RunAsync(() => _jobs.CompleteJobAsync(activity.Arg<CompleteJobRequest>())),
        "RecordJobStarted" => await _env.RunAsync(() => _jobs.RecordJobStartedAsync(activity.Arg<RecordJobStartedRequest>())),
        "DeleteRunnerParameters" => await _env.RunAsync(() => _parameters.DeleteRunnerParametersAsync(activity.Arg<string>())),
        "PublishJobMetrics" => await _env.RunAsync(() => _metrics.PublishJobMetricsAsync(activity.Arg<JobMetrics>())),
        _ => throw new InvalidOperationException($"JobTermination scheduled an unknown activity {activity.Type}"),
    };
}
