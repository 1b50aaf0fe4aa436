using Microsoft.Extensions.Logging.Abstractions;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Hosting;
using RunsFleet.Worker.Schedules;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;
using Temporalio.Converters;

namespace RunsFleet.Tests.Worker.Schedules;

public sealed class ScheduleApplierTests
{
    private readonly InMemoryScheduleStore _store = new();
    private readonly ScheduleApplier _applier;

    public ScheduleApplierTests()
    {
        _applier = new ScheduleApplier(_store, NullLogger<ScheduleApplier>.Instance);
    }

    [Fact]
    public async Task First_apply_creates_every_schedule()
    {
        var results = await _applier.ApplyAsync(SweepSchedules.All(new SweepScheduleSettings()), CancellationToken.None);

        Assert.All(results, r => Assert.Equal(ScheduleChange.Created, r.Change));
        Assert.Equal(
            ["create runs-fleet-orphans", "create runs-fleet-stale-ssm", "create runs-fleet-old-jobs", "create runs-fleet-pool-audit", "create runs-fleet-orphaned-jobs"],
            _store.Calls.Where(c => c.StartsWith("create", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Applying_twice_changes_nothing_the_second_time()
    {
        var definitions = SweepSchedules.All(new SweepScheduleSettings());
        await _applier.ApplyAsync(definitions, CancellationToken.None);
        var writesAfterFirst = _store.Writes;

        var second = await _applier.ApplyAsync(SweepSchedules.All(new SweepScheduleSettings()), CancellationToken.None);

        Assert.All(second, r => Assert.Equal(ScheduleChange.Unchanged, r.Change));
        Assert.All(second, r => Assert.Empty(r.Differences));
        Assert.Equal(writesAfterFirst, _store.Writes);
    }

    [Fact]
    public async Task Applying_twice_with_overrides_changes_nothing_the_second_time()
    {
        var settings = SettingsWith(SweepKind.PoolAudit, "30 6 * * MON-FRI", paused: true) with { TaskQueue = "q2", CatchupWindow = TimeSpan.FromMinutes(5) };
        await _applier.ApplyAsync(SweepSchedules.All(settings), CancellationToken.None);
        var writes = _store.Writes;

        var second = await _applier.ApplyAsync(SweepSchedules.All(settings), CancellationToken.None);

        Assert.All(second, r => Assert.Equal(ScheduleChange.Unchanged, r.Change));
        Assert.Equal(writes, _store.Writes);
    }

    [Fact]
    public async Task A_changed_spec_updates_that_schedule_only()
    {
        await _applier.ApplyAsync(SweepSchedules.All(new SweepScheduleSettings()), CancellationToken.None);

        var results = await _applier.ApplyAsync(SweepSchedules.All(SettingsWith(SweepKind.StrayInstances, "5m")), CancellationToken.None);

        var orphans = Assert.Single(results, r => r.Change != ScheduleChange.Unchanged);
        Assert.Equal("runs-fleet-orphans", orphans.ScheduleId);
        Assert.Equal(ScheduleChange.Updated, orphans.Change);
        Assert.Equal(["spec"], orphans.Differences);
        Assert.Equal(["update runs-fleet-orphans"], _store.Calls.Where(c => c.StartsWith("update", StringComparison.Ordinal)));
        var described = await _store.DescribeAsync("runs-fleet-orphans", CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(5), Assert.Single(described!.Spec.Intervals).Every);
        Assert.Equal(ScheduleOverlapPolicy.Skip, described.Policy.Overlap);
    }

    [Fact]
    public async Task A_changed_catch_up_window_updates_the_policy()
    {
        await _applier.ApplyAsync(SweepSchedules.For(SweepKind.JobArchive, new SweepScheduleSettings()), CancellationToken.None);

        var result = await _applier.ApplyAsync(
            SweepSchedules.For(SweepKind.JobArchive, new SweepScheduleSettings { CatchupWindow = TimeSpan.FromMinutes(90) }),
            CancellationToken.None);

        Assert.Equal(["policy"], result.Differences);
        var described = await _store.DescribeAsync("runs-fleet-old-jobs", CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(90), described!.Policy.CatchupWindow);
    }

    [Fact]
    public async Task A_changed_task_queue_updates_the_action()
    {
        await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StaleSsm, new SweepScheduleSettings()), CancellationToken.None);

        var result = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StaleSsm, new SweepScheduleSettings { TaskQueue = "other" }), CancellationToken.None);

        Assert.Equal(["action"], result.Differences);
        var action = Assert.IsType<ScheduleActionStartWorkflow>((await _store.DescribeAsync("runs-fleet-stale-ssm", CancellationToken.None))!.Action);
        Assert.Equal("other", action.Options.TaskQueue);
    }

    [Fact]
    public async Task A_schedule_edited_by_hand_is_restored_to_its_definition()
    {
        await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, new SweepScheduleSettings()), CancellationToken.None);
        await _store.EditAsync("runs-fleet-orphans", s => s with
        {
            Action = ScheduleActionStartWorkflow.Create("OrphanSweep", [new StrayInstanceSweepInput { DryRun = true }], ((ScheduleActionStartWorkflow)s.Action).Options),
            Policy = s.Policy with { Overlap = ScheduleOverlapPolicy.AllowAll },
        });

        var result = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, new SweepScheduleSettings()), CancellationToken.None);

        Assert.Equal(["policy", "action"], result.Differences);
        var described = (await _store.DescribeAsync("runs-fleet-orphans", CancellationToken.None))!;
        var input = await Assert.IsAssignableFrom<IEncodedRawValue>(Assert.Single(((ScheduleActionStartWorkflow)described.Action).Args)).ToValueAsync<StrayInstanceSweepInput>();
        Assert.False(input.DryRun);
        Assert.Equal(ScheduleOverlapPolicy.Skip, described.Policy.Overlap);
    }

    [Fact]
    public async Task An_operator_pause_survives_when_the_pause_state_is_not_pinned()
    {
        await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, new SweepScheduleSettings()), CancellationToken.None);
        await _store.EditAsync("runs-fleet-orphans", s => s with { State = new ScheduleState { Paused = true, Note = "incident 42" } });

        var unchanged = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, new SweepScheduleSettings()), CancellationToken.None);
        var respecified = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, SettingsWith(SweepKind.StrayInstances, "20m")), CancellationToken.None);

        Assert.Equal(ScheduleChange.Unchanged, unchanged.Change);
        Assert.Equal(["spec"], respecified.Differences);
        var described = (await _store.DescribeAsync("runs-fleet-orphans", CancellationToken.None))!;
        Assert.True(described.State.Paused);
        Assert.Equal("incident 42", described.State.Note);
    }

    [Fact]
    public async Task A_pinned_pause_state_is_enforced()
    {
        await _applier.ApplyAsync(SweepSchedules.For(SweepKind.PoolAudit, new SweepScheduleSettings()), CancellationToken.None);

        var paused = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.PoolAudit, SettingsWith(SweepKind.PoolAudit, null, paused: true)), CancellationToken.None);
        var pausedState = (await _store.DescribeAsync("runs-fleet-pool-audit", CancellationToken.None))!.State;
        var unpaused = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.PoolAudit, SettingsWith(SweepKind.PoolAudit, null, paused: false)), CancellationToken.None);

        Assert.Equal(["paused"], paused.Differences);
        Assert.True(pausedState.Paused);
        Assert.Equal(["unpaused"], unpaused.Differences);
        Assert.False((await _store.DescribeAsync("runs-fleet-pool-audit", CancellationToken.None))!.State.Paused);
    }

    [Fact]
    public async Task A_schedule_created_elsewhere_meanwhile_is_converged_not_duplicated()
    {
        _store.CreatedElsewhereFirst.Add("runs-fleet-orphans");

        var result = await _applier.ApplyAsync(SweepSchedules.For(SweepKind.StrayInstances, new SweepScheduleSettings()), CancellationToken.None);

        Assert.Equal(ScheduleChange.Unchanged, result.Change);
        Assert.DoesNotContain(_store.Calls, c => c.StartsWith("update", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_apply_command_prints_what_it_created_updated_and_left_unchanged()
    {
        var settings = TestEnvironment.Load();
        var first = new StringWriter();
        var second = new StringWriter();
        await ScheduleCommand.ApplyAsync(_store, settings.Schedules, first, CancellationToken.None);

        var exitCode = await ScheduleCommand.ApplyAsync(_store, TestEnvironment.Load(("RUNS_FLEET_SCHEDULE_STALE_SSM_SPEC", "2h")).Schedules, second, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["created   runs-fleet-orphans: every 15m", "created   runs-fleet-stale-ssm: every 1h", "created   runs-fleet-old-jobs: daily at 02:00 UTC", "created   runs-fleet-pool-audit: daily at 09:00 UTC", "created   runs-fleet-orphaned-jobs: every 15m"],
            Lines(first));
        Assert.Equal(
            ["unchanged runs-fleet-orphans: every 15m", "updated   runs-fleet-stale-ssm (spec): every 2h", "unchanged runs-fleet-old-jobs: daily at 02:00 UTC", "unchanged runs-fleet-pool-audit: daily at 09:00 UTC", "unchanged runs-fleet-orphaned-jobs: every 15m"],
            Lines(second));
    }

    [Fact]
    public async Task Schedules_apply_without_a_reachable_server_exits_5_naming_the_address()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var error = new StringWriter();

        var exitCode = await RunsFleet.Worker.WorkerApp.RunAsync(
            ["schedules", "apply"],
            TestEnvironment.With(("TEMPORAL_ADDRESS", $"127.0.0.1:{port}")),
            new StringWriter(),
            error,
            CancellationToken.None);

        Assert.Equal(ExitCodes.TemporalError, exitCode);
        Assert.Contains($"failed against 127.0.0.1:{port} (namespace default)", error.ToString(), StringComparison.Ordinal);
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static SweepScheduleSettings SettingsWith(SweepKind kind, string? spec, bool? paused = null)
    {
        ScheduleSpec? parsed = null;
        if (spec is not null)
        {
            Assert.True(ScheduleSpecText.TryParse(spec, out parsed, out var error), error);
        }

        return new SweepScheduleSettings { Overrides = new Dictionary<SweepKind, SweepScheduleOverride> { [kind] = new(parsed, paused) } };
    }
}
