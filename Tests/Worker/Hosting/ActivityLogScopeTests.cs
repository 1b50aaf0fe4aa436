using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.Support;
using RunsFleet.Worker.Hosting;
using Temporalio.Testing;

namespace RunsFleet.Tests.Worker.Hosting;

/// <summary>
/// The worker's activity log scope: a line an activity writes through its own injected logger
/// carries the workflow run, the activity and, where the input names them, the job and instance.
/// </summary>
public class ActivityLogScopeTests
{
    private const string Instance = "i-0a1b2c3d4e5f60718";

    [Fact]
    public async Task A_line_logged_through_the_activitys_own_logger_names_run_activity_job_and_instance()
    {
        using var logs = new JsonLogCapture();
        var env = new ActivityEnvironment
        {
            // The context logger and the activity's ILogger<T> come from one factory, as in the worker.
            Logger = logs.Factory.CreateLogger("Temporalio.Activity"),
            Info = ActivityEnvironment.DefaultInfo with { WorkflowId = "job-termination-42-" + Instance, WorkflowRunId = "run-7", ActivityType = "CompleteJob", Attempt = 3 },
        };
        var activityLogger = logs.Factory.CreateLogger<JobRecordActivities>();
        var request = new CompleteJobRequest
        {
            JobId = 42,
            InstanceId = Instance,
            Status = "completed",
            CompletedAt = DateTimeOffset.UnixEpoch,
            StartedAt = null,
            ExitCode = 0,
            DurationSeconds = 1,
            Error = null,
            InterruptedBy = null,
        };

        // Stands for the activity method: it logs through its injected logger, as the activities do.
        await env.RunAsync(() => ActivityLogScope.RunInScopeAsync([request], () =>
        {
            activityLogger.LogInformation("marking the job");
            return Task.FromResult<object?>(null);
        }));

        var line = Assert.Single(logs.Lines);
        Assert.Equal("marking the job", line.GetProperty("Message").GetString());
        var fields = JsonLogCapture.ScopeFields(line);
        Assert.Equal("job-termination-42-" + Instance, fields["WorkflowId"]);
        Assert.Equal("run-7", fields["RunId"]);
        Assert.Equal("CompleteJob", fields["ActivityType"]);
        Assert.Equal("3", fields["Attempt"]);
        Assert.Equal("42", fields["JobId"]);
        Assert.Equal(Instance, fields["InstanceId"]);
    }

    [Fact]
    public void A_bare_instance_id_argument_is_named_and_any_other_text_is_not()
    {
        var info = ActivityEnvironment.DefaultInfo;

        Assert.Equal(Instance, ActivityLogScope.Fields(info, [Instance])["InstanceId"]);
        var sweep = ActivityLogScope.Fields(info, ["/runs-fleet/runners/", 50]);
        Assert.False(sweep.ContainsKey("InstanceId"));
        Assert.False(sweep.ContainsKey("JobId"));
        Assert.Equal(info.WorkflowId, sweep["WorkflowId"]);
    }
}
