using RunsFleet.Hosting;
using System.Text.Json;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Tests.Cli.Sweeps;

public class SweepLastCommandTests
{
    [Fact]
    public async Task Last_shows_the_newest_run_of_the_sweep_type_with_its_result()
    {
        var temporal = new FakeTemporalClient();
        temporal.Add(new FakeWorkflow("sweep-orphans-old", "run-old", "OrphanSweep", SweepSamples.Failed("sweep-orphans-old", "old failure", SweepSamples.Now.AddDays(-1))));
        temporal.Add(new FakeWorkflow("sweep-orphans-2026-11-20T09:00:00Z", "run-new", "OrphanSweep", SweepSamples.Completed("sweep-orphans-2026-11-20T09:00:00Z", SweepSamples.CapReached())));
        temporal.Add(new FakeWorkflow("sweep-stale-ssm", "run-ssm", "StaleSsmSweep", SweepSamples.Running("sweep-stale-ssm", SweepSamples.Now.AddHours(1))));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "last", "orphans");

        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        Assert.StartsWith("orphans sweep sweep-orphans-2026-11-20T09:00:00Z (run run-new), started 2026-11-20 09:00:00 UTC, closed 2026-11-20 09:00:00 UTC", run.Output, StringComparison.Ordinal);
        Assert.Contains("Completed: 5 orphans found, more than the cap of 2: none terminated", run.Output, StringComparison.Ordinal);
        Assert.Contains("problem: cap reached", run.Output, StringComparison.Ordinal);
        Assert.Equal(["WorkflowType = 'OrphanSweep'"], temporal.Queries);
    }

    [Fact]
    public async Task A_failed_last_run_exits_1_and_json_carries_its_failure()
    {
        var temporal = new FakeTemporalClient();
        temporal.Add(new FakeWorkflow("sweep-orphans", "run-1", "OrphanSweep", SweepSamples.Failed("sweep-orphans", "ec2 throttled")));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "last", "orphans", "--output", "json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var outcome = json.RootElement.GetProperty("outcome");
        Assert.Equal(("Failed", "ec2 throttled", 1), (outcome.GetProperty("status").GetString(), outcome.GetProperty("summary").GetString(), outcome.GetProperty("exitCode").GetInt32()));
        Assert.Equal("run-1", json.RootElement.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task A_running_last_run_shows_its_progress_and_exits_0()
    {
        var temporal = new FakeTemporalClient();
        temporal.Add(new FakeWorkflow("sweep-orphans", "run-1", "OrphanSweep", SweepSamples.Running("sweep-orphans")))
            .AnswersProgress(SweepSamples.Progress(SweepPhases.Scanning, 40, 0, null));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "last", "orphans");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Running: scanning: pages 1, examined 40, acted on 0, skipped 20 (young 20), errors 0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_that_never_ran_exits_3_with_one_line()
    {
        var temporal = new FakeTemporalClient();

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "last", "pool-audit");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Equal("runs-fleet: no run of the pool-audit sweep (PoolAudit) is known to Temporal", run.Error.Trim());
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Without_a_reachable_Temporal_the_command_exits_5()
    {
        var run = await new CliHarness().RunAsync("sweep", "last", "orphans");

        Assert.Equal(ExitCodes.TemporalError, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
    }
}
