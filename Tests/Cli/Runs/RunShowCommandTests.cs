using RunsFleet.Hosting;
using System.Text.Json;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.JobTermination;

namespace RunsFleet.Tests.Cli.Runs;

public class RunShowCommandTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static FakeTemporalClient WithJob123()
    {
        var temporal = new FakeTemporalClient();
        var completed = new HistoryBuilder(JobTerminationIds.WorkflowType, null, "job-termination-123-i-0abc1234", startTime: Start)
            .ActivityCompleted("CompleteJob", null)
            .ActivityFailed("DeleteRunnerParameters", "ThrottlingException", "Rate exceeded", nonRetryable: false)
            .Advance(TimeSpan.FromSeconds(2))
            .ActivityCompleted("PublishJobMetrics", null)
            .WorkflowCompleted(new JobTerminationResult
            {
                Outcome = JobTerminationOutcome.Completed,
                JobStatus = "completed",
                Pool = "linux-x64",
                ParametersDeleted = 2,
                ParametersAlreadyGone = 0,
                MetricsSent = 3,
                Detail = "job 123 marked completed; 2 parameters deleted",
            })
            .Build();
        temporal.Add(new FakeWorkflow("job-termination-123-i-0abc1234", "run-end", JobTerminationIds.WorkflowType, completed.Events)
        {
            SearchAttributes = { ["RunsFleetJobId"] = "123", ["RunsFleetInstanceId"] = "i-0abc1234" },
        });
        var started = new HistoryBuilder(JobTerminationIds.WorkflowType, null, "job-termination-123-i-0abc1234-started", startTime: Start.AddMinutes(-30))
            .ActivityTimedOut("RecordJobStarted")
            .WorkflowFailed("activity RecordJobStarted timed out", "ActivityTimeout")
            .Build();
        temporal.Add(new FakeWorkflow("job-termination-123-i-0abc1234-started", "run-start", JobTerminationIds.WorkflowType, started.Events)
        {
            SearchAttributes = { ["RunsFleetJobId"] = "123", ["RunsFleetInstanceId"] = "i-0abc1234" },
        });
        temporal.Add(new FakeWorkflow("job-termination-456-i-0abc1234", "run-other", JobTerminationIds.WorkflowType, completed.Events)
        {
            SearchAttributes = { ["RunsFleetJobId"] = "456", ["RunsFleetInstanceId"] = "i-0abc1234" },
        });
        return temporal;
    }

    [Fact]
    public async Task Job_show_lists_each_run_with_its_outcome_and_activity_timeline()
    {
        var temporal = WithJob123();

        var run = await new CliHarness { Temporal = temporal }.RunAsync("job", "show", "123");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(["RunsFleetJobId = '123'"], temporal.Queries);
        var text = run.Output;
        // Newest first: the job's end, then its start report.
        Assert.True(text.IndexOf("(run run-end): Completed", StringComparison.Ordinal) < text.IndexOf("(run run-start): Failed", StringComparison.Ordinal));
        Assert.Contains("  outcome: Completed: job 123 marked completed; 2 parameters deleted", text, StringComparison.Ordinal);
        Assert.Contains("  outcome: failed: activity RecordJobStarted timed out", text, StringComparison.Ordinal);
        Assert.Matches(@"\| DeleteRunnerParameters \| 1 +\| Failed +\| 10:00:00\.\d{3} +\| 0\.002 s +\| Rate exceeded", text);
        Assert.Matches(@"\| PublishJobMetrics +\| 1 +\| Completed", text);
        Assert.Matches(@"\| RecordJobStarted +\| 1 +\| TimedOut +\| 09:30:00\.\d{3} +\| 0\.002 s +\| activity ScheduleToClose timeout", text);
        Assert.DoesNotContain("run-other", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_show_in_json_gives_every_run_of_the_instance_with_its_result()
    {
        var temporal = WithJob123();

        var run = await new CliHarness { Temporal = temporal }.RunAsync("instance", "show", "i-0abc1234", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        Assert.Equal("RunsFleetInstanceId = 'i-0abc1234'", json.RootElement.GetProperty("query").GetString());
        var end = runs.Single(r => r.GetProperty("runId").GetString() == "run-end");
        // The documented shape, in the order the positional record wrote it.
        Assert.Equal(
            ["workflowType", "workflowId", "runId", "status", "startTime", "closeTime", "outcome", "result", "activities"],
            end.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Completed", end.GetProperty("result").GetProperty("outcome").GetString());
        Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], end.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("activity").GetString()));
        Assert.Equal("Failed", runs.Single(r => r.GetProperty("runId").GetString() == "run-start").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_job_exits_3_and_a_malformed_instance_id_is_a_usage_error()
    {
        var temporal = WithJob123();
        var harness = new CliHarness { Temporal = temporal };

        var unknown = await harness.RunAsync("job", "show", "999");
        var malformed = await harness.RunAsync("instance", "show", "i-0abc' OR WorkflowType = 'x");

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Equal("runs-fleet: no workflow run is known for job 999 (RunsFleetJobId = '999')", unknown.Error.Trim());
        Assert.Equal(ExitCodes.Usage, malformed.ExitCode);
        Assert.Equal(["RunsFleetJobId = '999'"], temporal.Queries);
    }
}
