using RunsFleet.Hosting;
using System.Text.Json;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Worker.Schedules;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Tests.Cli.Schedules;

public class ScheduleCommandTests
{
    private static readonly DateTime Next = new(2026, 11, 20, 9, 15, 0, DateTimeKind.Utc);

    // The schedules as the worker defines them, all but pool-audit's applied.
    private static FakeTemporalClient Applied()
    {
        var temporal = new FakeTemporalClient();
        foreach (var definition in SweepSchedules.All(new SweepScheduleSettings()).Where(d => d.Kind != SweepKind.PoolAudit))
        {
            temporal.Schedules[definition.ScheduleId] = new FakeSchedule(definition.ScheduleId, definition.Schedule)
            {
                NextActionTimes = [Next, Next.AddMinutes(15)],
                ActionCount = 42,
            };
        }

        temporal.Schedules["runs-fleet-old-jobs"].SetPaused(true, "archive bucket migration");
        return temporal;
    }

    [Fact]
    public async Task List_shows_every_sweep_schedule_with_its_state_and_next_runs()
    {
        var run = await new CliHarness { Temporal = Applied() }.RunAsync("schedules", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"\| orphans +\| runs-fleet-orphans +\| active +\| 2026-11-20 09:15, 2026-11-20 09:30 \| 42 +\| Managed by the RunsFleet worker", run.Output);
        Assert.Matches(@"\| old-jobs +\| runs-fleet-old-jobs +\| paused +\| .* \| archive bucket migration", run.Output);
        Assert.Matches(@"\| pool-audit +\| runs-fleet-pool-audit +\| missing +\| +\| - ", run.Output);
        Assert.Contains("missing schedules are created by the worker's `schedules apply`", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_in_json_gives_one_document_and_no_schedule_at_all_exits_3()
    {
        var json = await new CliHarness { Temporal = Applied() }.RunAsync("schedules", "list", "--output", "json");
        var none = await new CliHarness { Temporal = new FakeTemporalClient() }.RunAsync("schedules", "list", "--output", "json");

        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(
            ["active", "active", "paused", "missing", "active"],
            document.RootElement.EnumerateArray().Select(r => r.GetProperty("state").GetString()));
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
    }

    [Fact]
    public async Task Trigger_of_a_destructive_sweep_needs_yes_and_a_pool_audit_does_not()
    {
        var temporal = Applied();
        temporal.Schedules["runs-fleet-pool-audit"] = new FakeSchedule("runs-fleet-pool-audit", SweepSchedules.For(SweepKind.PoolAudit, new SweepScheduleSettings()).Schedule);
        var harness = new CliHarness { Temporal = temporal };

        var refused = await harness.RunAsync("schedules", "trigger", "orphans");
        var confirmed = await harness.RunAsync("schedules", "trigger", "orphans", "--yes");
        var audit = await harness.RunAsync("schedules", "trigger", "pool-audit");

        Assert.Equal(ExitCodes.ConfirmationRequired, refused.ExitCode);
        // A schedule command has no --dry-run: the refusal does not suggest one.
        Assert.Equal("runs-fleet: schedules trigger orphans: nothing was changed; add --yes to do it", refused.Error.Trim());
        Assert.Equal((ExitCodes.Success, "triggered schedule runs-fleet-orphans"), (confirmed.ExitCode, confirmed.Output.Trim()));
        Assert.Equal(ExitCodes.Success, audit.ExitCode);
        Assert.Single(temporal.Schedules["runs-fleet-orphans"].Triggers);
        Assert.Single(temporal.Schedules["runs-fleet-pool-audit"].Triggers);
    }

    [Fact]
    public async Task Pause_needs_yes_and_keeps_the_note_and_unpause_resumes()
    {
        var temporal = Applied();
        var harness = new CliHarness { Temporal = temporal };

        var refused = await harness.RunAsync("schedules", "pause", "stale-ssm", "--note", "SSM outage");
        Assert.Equal(ExitCodes.ConfirmationRequired, refused.ExitCode);
        Assert.False(temporal.Schedules["runs-fleet-stale-ssm"].Schedule.State.Paused);

        var paused = await harness.RunAsync("schedules", "pause", "stale-ssm", "--note", "SSM outage", "--yes", "--output", "json");
        Assert.Equal(ExitCodes.Success, paused.ExitCode);
        Assert.Equal((true, "SSM outage"), (temporal.Schedules["runs-fleet-stale-ssm"].Schedule.State.Paused, temporal.Schedules["runs-fleet-stale-ssm"].Schedule.State.Note));
        using (var json = JsonDocument.Parse(paused.Output))
        {
            Assert.Equal("pause", json.RootElement.GetProperty("action").GetString());
        }

        var unpaused = await harness.RunAsync("schedules", "unpause", "stale-ssm");
        Assert.Equal((ExitCodes.Success, "unpaused schedule runs-fleet-stale-ssm"), (unpaused.ExitCode, unpaused.Output.Trim()));
        Assert.False(temporal.Schedules["runs-fleet-stale-ssm"].Schedule.State.Paused);
    }

    [Fact]
    public async Task Y_confirms_like_yes_and_unpause_takes_no_yes_it_would_ignore()
    {
        var temporal = Applied();
        var harness = new CliHarness { Temporal = temporal };

        var paused = await harness.RunAsync("schedules", "pause", "orphans", "-y");
        var unpauseWithYes = await harness.RunAsync("schedules", "unpause", "orphans", "--yes");

        Assert.Equal((ExitCodes.Success, "paused schedule runs-fleet-orphans"), (paused.ExitCode, paused.Output.Trim()));
        Assert.Equal(ExitCodes.Usage, unpauseWithYes.ExitCode);
        Assert.Equal(
            "runs-fleet: Unrecognized command or argument '--yes' (see 'runs-fleet schedules unpause --help')",
            unpauseWithYes.Error.TrimEnd());
        Assert.True(temporal.Schedules["runs-fleet-orphans"].Schedule.State.Paused);
    }

    [Fact]
    public async Task Backfill_asks_the_schedule_for_the_range_and_refuses_an_empty_one()
    {
        var temporal = Applied();
        var harness = new CliHarness { Temporal = temporal };

        var done = await harness.RunAsync("schedules", "backfill", "orphaned-jobs", "--from", "2026-11-19T00:00:00Z", "--to", "2026-11-19T06:00:00Z", "--yes");
        var backwards = await harness.RunAsync("schedules", "backfill", "orphaned-jobs", "--from", "2026-11-19T06:00:00Z", "--to", "2026-11-19T00:00:00Z", "--yes");
        var unconfirmed = await harness.RunAsync("schedules", "backfill", "orphaned-jobs", "--from", "2026-11-19T00:00:00Z", "--to", "2026-11-19T06:00:00Z");

        Assert.Equal(ExitCodes.Success, done.ExitCode);
        var backfill = Assert.Single(temporal.Schedules["runs-fleet-orphaned-jobs"].Backfills);
        Assert.Equal((new DateTime(2026, 11, 19, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 19, 6, 0, 0, DateTimeKind.Utc)), (backfill.StartAt, backfill.EndAt));
        Assert.Equal(ExitCodes.Usage, backwards.ExitCode);
        Assert.Equal(ExitCodes.ConfirmationRequired, unconfirmed.ExitCode);
    }

    [Fact]
    public async Task An_action_on_a_schedule_never_applied_exits_3()
    {
        var run = await new CliHarness { Temporal = Applied() }.RunAsync("schedules", "unpause", "pool-audit");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Equal("runs-fleet: Temporal: not found: schedule runs-fleet-pool-audit not found", run.Error.Trim());
    }
}
