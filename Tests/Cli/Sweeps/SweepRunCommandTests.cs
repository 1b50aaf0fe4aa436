using System.Text.Json;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Cli.Support;
using Temporalio.Api.Enums.V1;

namespace RunsFleet.Tests.Cli.Sweeps;

public class SweepRunCommandTests
{
    [Fact]
    public async Task Run_starts_the_sweep_exactly_as_a_housekeeping_message_would()
    {
        var temporal = new FakeTemporalClient();
        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--max", "20", "-y", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var start = Assert.Single(temporal.Starts);
        var message = HousekeepingMessageParser.Parse("""{"task_type":"orphaned_instances","params":{"max_terminations":20}}""").Value!;
        var expected = SweepStarts.For(message);
        Assert.Equal((expected.WorkflowType, expected.WorkflowId, "runs-fleet"), (start.Workflow, start.Options.Id, start.Options.TaskQueue));
        Assert.Equal(expected.Input, Assert.Single(start.Args));
        Assert.Equal(new StrayInstanceSweepInput { DryRun = false, MaxTerminations = 20 }, start.Args.Single());
        Assert.Equal(expected.SearchAttributes, start.Options.TypedSearchAttributes!.UntypedValues.ToDictionary(p => p.Key.Name, p => (string)p.Value));
        Assert.Equal((WorkflowIdReusePolicy.AllowDuplicate, WorkflowIdConflictPolicy.Fail), (start.Options.IdReusePolicy, start.Options.IdConflictPolicy));

        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("sweep-orphans", json.RootElement.GetProperty("workflowId").GetString());
        Assert.False(json.RootElement.GetProperty("joined").GetBoolean());
        Assert.Equal(temporal.Workflows[0].RunId, json.RootElement.GetProperty("runId").GetString());
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task The_task_queue_comes_from_RUNS_FLEET_TASK_QUEUE_and_orphaned_jobs_take_max_as_their_job_cap()
    {
        var temporal = new FakeTemporalClient();
        var harness = new CliHarness { Temporal = temporal, Environment = { ["RUNS_FLEET_TASK_QUEUE"] = "fleet-b" } };

        var run = await harness.RunAsync("sweep", "run", "orphaned-jobs", "--max", "7", "--dry-run");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var start = Assert.Single(temporal.Starts);
        Assert.Equal(("OrphanedJobSweep", "sweep-orphaned-jobs", "fleet-b"), (start.Workflow, start.Options.Id, start.Options.TaskQueue));
        Assert.Equal(new OrphanedJobSweepInput { DryRun = true, MaxJobs = 7 }, start.Args.Single());
        Assert.Equal($"started the orphaned-jobs sweep sweep-orphaned-jobs (run {temporal.Workflows[0].RunId}) on task queue fleet-b as a dry run", run.Output.Trim());
    }

    [Theory]
    [InlineData("stray-instances")]
    [InlineData("stale-ssm")]
    [InlineData("job-archive")]
    [InlineData("orphaned-jobs")]
    public async Task A_destructive_run_without_yes_changes_nothing_and_exits_4(string sweep)
    {
        var temporal = new FakeTemporalClient();
        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", sweep);

        Assert.Equal(ExitCodes.ConfirmationRequired, run.ExitCode);
        Assert.Empty(temporal.Starts);
        Assert.Empty(run.Output);
        Assert.Equal($"runs-fleet: sweep run {sweep} acts for real (terminates, deletes or marks what it finds): nothing was changed; add --yes to do it (or --dry-run to see what it would do)", run.Error.Trim());
    }

    [Fact]
    public async Task A_pool_audit_and_a_dry_run_need_no_yes()
    {
        var temporal = new FakeTemporalClient();
        var harness = new CliHarness { Temporal = temporal };

        Assert.Equal(ExitCodes.Success, (await harness.RunAsync("sweep", "run", "pool-audit")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await harness.RunAsync("sweep", "run", "stale-ssm", "--dry-run")).ExitCode);

        Assert.Equal(["PoolAudit", "StaleSsmSweep"], temporal.Starts.Select(s => s.Workflow));
        Assert.Equal(new PoolAuditInput(), temporal.Starts[0].Args.Single());
    }

    [Theory]
    [InlineData("stale-ssm", "--max 5", "--max: the stale-ssm sweep has no cap (only stray-instances and orphaned-jobs have one)")]
    [InlineData("orphans", "--max 5000", "--max 5000: OutOfRange: params.max_terminations must be from 1 to 1000, got 5000")]
    [InlineData("cleanup", "", "sweep: Argument 'cleanup' not recognized. Must be one of: 'stray-instances', 'orphans', 'stale-ssm', 'job-archive', 'old-jobs', 'pool-audit', 'orphaned-jobs'")]
    public async Task A_cap_the_sweep_does_not_have_or_cannot_take_is_a_usage_error(string sweep, string options, string error)
    {
        var temporal = new FakeTemporalClient();
        string[] args = ["sweep", "run", sweep, "--yes", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

        var run = await new CliHarness { Temporal = temporal }.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("runs-fleet: " + error, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(temporal.Starts);
    }

    [Fact]
    public async Task A_running_scheduled_sweep_is_joined_and_the_command_says_so()
    {
        var temporal = new FakeTemporalClient();
        var scheduled = temporal.Add(new FakeWorkflow("sweep-orphans-2026-11-20T09:00:00Z", "run-scheduled", "OrphanSweep", SweepSamples.Running("sweep-orphans-2026-11-20T09:00:00Z")));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--dry-run");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(temporal.Starts);
        Assert.Equal(
            "joined the running stray-instances sweep sweep-orphans-2026-11-20T09:00:00Z (run run-scheduled): no second run was started, and this command's --dry-run/--max do not apply to it",
            run.Output.Trim());
        Assert.Contains("WorkflowType = 'OrphanSweep' AND ExecutionStatus = 'Running'", temporal.Queries);
        Assert.Equal(WorkflowExecutionStatus.Running, scheduled.Status);
    }

    [Fact]
    public async Task A_triggered_run_still_going_is_joined_through_the_id_conflict()
    {
        var temporal = new FakeTemporalClient();
        // Visibility lags: the running run is not listed yet, so only the id conflict finds it.
        temporal.Add(new FakeWorkflow("sweep-pool-audit", "run-1", "PoolAudit-not-yet-visible", SweepSamples.Running("sweep-pool-audit")));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "pool-audit", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(temporal.Starts);
        using var json = JsonDocument.Parse(run.Output);
        Assert.True(json.RootElement.GetProperty("joined").GetBoolean());
        Assert.Equal("run-1", json.RootElement.GetProperty("runId").GetString());
    }
}
