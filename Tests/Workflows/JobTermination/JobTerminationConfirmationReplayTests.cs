using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Common;
using Outcome = RunsFleet.Activities.Jobs.RecordJobStartedOutcome;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// The start report since <see cref="WorkflowPatches.StartConfirmsRunning"/>, replayed from histories
/// with its patch marker (the histories without one, in JobTerminationWorkflowReplayTests, keep
/// replaying the path before it).
/// </summary>
public sealed class JobTerminationConfirmationReplayTests
{
    private const string Instance = "i-0a1b2c3d4e5f60718";
    private const long JobId = 48213377001;
    private const string StartedText = "2026-11-20T10:00:00Z";
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 9, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Started = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HistoryStart = new(2026, 11, 20, 10, 0, 2, TimeSpan.Zero);
    private static readonly AgentBootstrapSeconds Bootstrap = new(11.4, 0.8, 3.3, 1.9, 17.4);

    [Fact]
    public async Task Confirmed_runner_publishes_runs_fleets_confirmation_metrics()
    {
        var input = Start();
        var recorded = new RecordJobStartedResult(
            Outcome.Recorded, "linux-x64", "running", StartedText, Created, "c7g.xlarge", WarmPoolHit: true);
        var expected = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.StartRecorded,
            JobStatus = "running",
            Pool = "linux-x64",
            ParametersDeleted = 0,
            ParametersAlreadyGone = 0,
            MetricsSent = 7,
            Detail = $"job {JobId} running, started at {StartedText}; 7 metric values sent",
        };
        var history = History(input)
            .PatchMarker(WorkflowPatches.StartConfirmsRunning)
            .ActivityCompleted("RecordJobStarted", recorded)
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .ActivityCompleted("PublishRunnerConfirmedMetrics", 7)
            .WorkflowCompleted(expected)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["RecordJobStarted", "PublishRunnerConfirmedMetrics"], replay.ActivityTypes);
        var request = replay.Activities[0].Arg<RecordJobStartedRequest>();
        Assert.Equal(new RecordJobStartedRequest(JobId, Instance, Started), request);
        Assert.Equal(
            new RunnerConfirmedMetrics("linux-x64", "c7g.xlarge", true, false, Created, Started, Bootstrap),
            replay.Activities[1].Arg<RunnerConfirmedMetrics>());
        Assert.Equal(expected, replay.Result<JobTerminationResult>());
        Assert.Equal("linux-x64", replay.SearchAttributes?.Get(RunsFleetSearchAttributes.Pool));
    }

    [Fact]
    public async Task Start_report_without_started_at_has_no_provision_time()
    {
        var input = Start() with { StartedAt = null, Bootstrap = null };
        var recorded = new RecordJobStartedResult(
            Outcome.Recorded, null, "running", "2026-11-20T10:00:02Z", Created, "m7g.large");
        var history = History(input)
            .PatchMarker(WorkflowPatches.StartConfirmsRunning)
            .ActivityCompleted("RecordJobStarted", recorded)
            .ActivityCompleted("PublishRunnerConfirmedMetrics", 1)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        var metrics = replay.Activities[1].Arg<RunnerConfirmedMetrics>();
        Assert.Null(metrics.StartedAt);
        Assert.Equal(["RunnerConfirmed"], metrics.ToData().Select(d => d.Name).ToArray());
        var startedAt = replay.Activities[0].Arg<RecordJobStartedRequest>().StartedAt;
        Assert.InRange(startedAt, HistoryStart, HistoryStart.AddSeconds(1));
    }

    [Theory]
    [InlineData(Outcome.AlreadyRecorded, "running", "was already running (started at 2026-11-20T09:59:50Z); unchanged")]
    [InlineData(Outcome.NotStartable, "orphaned", "is orphaned; a start report does not move it")]
    [InlineData(Outcome.AlreadyTerminal, "success", "already ended (success); start not recorded")]
    [InlineData(Outcome.OwnedByOtherInstance, "launched", "belongs to another instance; start not recorded")]
    [InlineData(Outcome.NotFound, null, "not found; start not recorded")]
    public async Task A_start_that_moved_nothing_publishes_nothing(Outcome activityOutcome, string? status, string what)
    {
        var startedAt = activityOutcome == Outcome.AlreadyRecorded ? "2026-11-20T09:59:50Z" : null;
        var history = History(Start())
            .PatchMarker(WorkflowPatches.StartConfirmsRunning)
            .ActivityCompleted("RecordJobStarted", new RecordJobStartedResult(activityOutcome, null, status, startedAt))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["RecordJobStarted"], replay.ActivityTypes);
        var result = replay.Result<JobTerminationResult>();
        var expected = activityOutcome switch
        {
            Outcome.AlreadyRecorded => JobTerminationOutcome.StartAlreadyRecorded,
            Outcome.NotStartable => JobTerminationOutcome.StartIgnored,
            Outcome.AlreadyTerminal => JobTerminationOutcome.AlreadyTerminal,
            Outcome.OwnedByOtherInstance => JobTerminationOutcome.OwnedByOtherInstance,
            _ => JobTerminationOutcome.NotFound,
        };
        Assert.Equal((expected, status, 0), (result.Outcome, result.JobStatus, result.MetricsSent));
        Assert.Equal($"job {JobId} {what}; 0 metric values sent", result.Detail);
    }

    [Fact]
    public async Task History_before_the_patch_that_records_a_start_publishes_nothing()
    {
        // A run begun by the previous release: no marker, so no metrics even though the record moved.
        var recorded = new RecordJobStartedResult(
            Outcome.Recorded, "linux-x64", "running", StartedText, Created, "c7g.xlarge");
        var history = History(Start())
            .ActivityCompleted("RecordJobStarted", recorded)
            .SearchAttributesUpserted(PoolAttribute("linux-x64"))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["RecordJobStarted"], replay.ActivityTypes);
        Assert.Equal($"job {JobId} started at {StartedText}", replay.Result<JobTerminationResult>().Detail);
    }

    [Fact]
    public async Task History_with_the_marker_but_without_the_metrics_is_nondeterministic()
    {
        var recorded = new RecordJobStartedResult(
            Outcome.Recorded, null, "running", StartedText, Created, "c7g.xlarge");
        var history = History(Start())
            .PatchMarker(WorkflowPatches.StartConfirmsRunning)
            .ActivityCompleted("RecordJobStarted", recorded)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<JobTerminationWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replay succeeded");
    }

    private static JobTerminationInput Start() =>
        new JobTerminationInput
        {
            InstanceId = Instance,
            JobId = JobId,
            Status = JobEndStatus.Started,
            ExitCode = 0,
            DurationSeconds = 0,
            StartedAt = Started,
            CompletedAt = null,
            Error = null,
            InterruptedBy = null,
            SqsMessageId = "m-2",
            Bootstrap = Bootstrap,
        };

    private static HistoryBuilder History(JobTerminationInput input)
    {
        var attributes = new SearchAttributeCollection.Builder()
            .Set(RunsFleetSearchAttributes.InstanceId, input.InstanceId)
            .Set(RunsFleetSearchAttributes.JobId, JobId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var id = JobTerminationIds.For(input);
        return new HistoryBuilder(JobTerminationIds.WorkflowType, input, id, startTime: HistoryStart)
            .WithStartSearchAttributes(attributes.ToSearchAttributeCollection());
    }

    private static SearchAttributeCollection PoolAttribute(string pool) =>
        new SearchAttributeCollection.Builder().Set(RunsFleetSearchAttributes.Pool, pool).ToSearchAttributeCollection();
}
