using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Worker.Schedules;
using RunsFleet.Workflows.Common;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;

namespace RunsFleet.Tests.Worker.Schedules;

public sealed class SweepSchedulesTests
{
    private static readonly SweepScheduleSettings Defaults = new();

    [Fact]
    public void Orphans_run_every_15_minutes()
    {
        var spec = SweepSchedules.For(SweepKind.StrayInstances, Defaults).Schedule.Spec;

        Assert.Equal(new ScheduleIntervalSpec(TimeSpan.FromMinutes(15)), Assert.Single(spec.Intervals));
        Assert.Empty(spec.Calendars);
        Assert.Empty(spec.CronExpressions);
    }

    [Fact]
    public void Stale_ssm_runs_every_hour()
    {
        var spec = SweepSchedules.For(SweepKind.StaleSsm, Defaults).Schedule.Spec;

        Assert.Equal(new ScheduleIntervalSpec(TimeSpan.FromHours(1)), Assert.Single(spec.Intervals));
        Assert.Empty(spec.Calendars);
    }

    [Theory]
    [InlineData(SweepKind.JobArchive, 2)]
    [InlineData(SweepKind.PoolAudit, 9)]
    public void Daily_sweeps_run_at_their_utc_hour_on_the_hour(SweepKind kind, int hour)
    {
        var spec = SweepSchedules.For(kind, Defaults).Schedule.Spec;

        Assert.Empty(spec.Intervals);
        Assert.Equal("UTC", spec.TimeZoneName);
        var calendar = Assert.Single(spec.Calendars);
        Assert.Equal([new ScheduleRange(hour)], calendar.Hour);
        Assert.Equal([ScheduleRange.Zero], calendar.Minute);
        Assert.Equal([ScheduleRange.Zero], calendar.Second);
        // Every day of every month of every year.
        Assert.Equal([new ScheduleRange(1, 31)], calendar.DayOfMonth);
        Assert.Equal([new ScheduleRange(1, 12)], calendar.Month);
        Assert.Equal([new ScheduleRange(0, 6)], calendar.DayOfWeek);
        Assert.Empty(calendar.Year);
        // Same instants as the cron expression an operator would write.
        Assert.True(ScheduleSpecText.TryParse($"0 {hour} * * *", out var cron, out _));
        Assert.Equal(ScheduleDrift.Canonical(cron!), ScheduleDrift.Canonical(spec));
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances)]
    [InlineData(SweepKind.StaleSsm)]
    [InlineData(SweepKind.JobArchive)]
    [InlineData(SweepKind.PoolAudit)]
    [InlineData(SweepKind.OrphanedJobs)]
    public void Every_schedule_skips_overlaps_has_the_catch_up_window_and_starts_its_sweep(SweepKind kind)
    {
        var definition = SweepSchedules.For(kind, new SweepScheduleSettings { TaskQueue = "fleet-q", CatchupWindow = TimeSpan.FromMinutes(20) });

        Assert.Equal(SweepNames.ScheduleId(kind), definition.ScheduleId);
        Assert.Equal(ScheduleOverlapPolicy.Skip, definition.Schedule.Policy.Overlap);
        Assert.Equal(TimeSpan.FromMinutes(20), definition.Schedule.Policy.CatchupWindow);
        Assert.False(definition.Schedule.State.Paused);
        Assert.Null(definition.PinnedPaused);
        var action = Assert.IsType<ScheduleActionStartWorkflow>(definition.Schedule.Action);
        Assert.Equal(SweepNames.WorkflowType(kind), action.Workflow);
        Assert.Equal(SweepNames.WorkflowId(kind), action.Options.Id);
        Assert.Equal("fleet-q", action.Options.TaskQueue);
        Assert.Equal(SweepSchedules.DefaultInput(kind), Assert.Single(action.Args));
        Assert.Equal(SweepNames.TaskType(kind), action.Options.TypedSearchAttributes!.Get(RunsFleetSearchAttributes.SweepType));
    }

    [Fact]
    public void Scheduled_inputs_are_real_runs_with_configured_defaults()
    {
        Assert.Equal(new StrayInstanceSweepInput { DryRun = false, MaxRuntimeMinutes = null, MaxTerminations = null }, SweepSchedules.DefaultInput(SweepKind.StrayInstances));
        Assert.Equal(new StaleSsmSweepInput(), SweepSchedules.DefaultInput(SweepKind.StaleSsm));
        Assert.Equal(new JobArchiveInput(), SweepSchedules.DefaultInput(SweepKind.JobArchive));
        Assert.Equal(new PoolAuditInput(), SweepSchedules.DefaultInput(SweepKind.PoolAudit));
        Assert.Equal(new OrphanedJobSweepInput(), SweepSchedules.DefaultInput(SweepKind.OrphanedJobs));
    }

    [Fact]
    public void The_default_catch_up_window_is_one_hour()
    {
        Assert.Equal(TimeSpan.FromHours(1), SweepSchedules.For(SweepKind.StrayInstances, Defaults).Schedule.Policy.CatchupWindow);
    }

    [Fact]
    public void Overrides_replace_the_spec_and_pin_the_pause_state_of_one_sweep_only()
    {
        Assert.True(ScheduleSpecText.TryParse("30m", out var spec, out _));
        var settings = new SweepScheduleSettings
        {
            Overrides = new Dictionary<SweepKind, SweepScheduleOverride> { [SweepKind.StrayInstances] = new(spec, Paused: true) },
        };

        var orphans = SweepSchedules.For(SweepKind.StrayInstances, settings);
        var stale = SweepSchedules.For(SweepKind.StaleSsm, settings);

        Assert.Equal(TimeSpan.FromMinutes(30), Assert.Single(orphans.Schedule.Spec.Intervals).Every);
        Assert.True(orphans.Schedule.State.Paused);
        Assert.True(orphans.PinnedPaused);
        Assert.Contains("RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_PAUSED=true", orphans.Schedule.State.Note, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(1), Assert.Single(stale.Schedule.Spec.Intervals).Every);
        Assert.Null(stale.PinnedPaused);
    }

    [Fact]
    public void All_defines_every_sweep_with_distinct_ids()
    {
        var all = SweepSchedules.All(Defaults);

        Assert.Equal(["runs-fleet-orphans", "runs-fleet-stale-ssm", "runs-fleet-old-jobs", "runs-fleet-pool-audit", "runs-fleet-orphaned-jobs"], all.Select(d => d.ScheduleId));
        Assert.Equal(["every 15m", "every 1h", "daily at 02:00 UTC", "daily at 09:00 UTC", "every 15m"], all.Select(d => d.Description));
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances, "RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_SPEC", "RUNS_FLEET_SCHEDULE_STRAY_INSTANCES_PAUSED",
        "RUNS_FLEET_SCHEDULE_ORPHANS_SPEC", "RUNS_FLEET_SCHEDULE_ORPHANS_PAUSED")]
    [InlineData(SweepKind.StaleSsm, "RUNS_FLEET_SCHEDULE_STALE_SSM_SPEC", "RUNS_FLEET_SCHEDULE_STALE_SSM_PAUSED", null, null)]
    [InlineData(SweepKind.JobArchive, "RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_SPEC", "RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED",
        "RUNS_FLEET_SCHEDULE_OLD_JOBS_SPEC", "RUNS_FLEET_SCHEDULE_OLD_JOBS_PAUSED")]
    [InlineData(SweepKind.PoolAudit, "RUNS_FLEET_SCHEDULE_POOL_AUDIT_SPEC", "RUNS_FLEET_SCHEDULE_POOL_AUDIT_PAUSED", null, null)]
    [InlineData(SweepKind.OrphanedJobs, "RUNS_FLEET_SCHEDULE_ORPHANED_JOBS_SPEC", "RUNS_FLEET_SCHEDULE_ORPHANED_JOBS_PAUSED", null, null)]
    public void Variable_names_follow_the_sweep_and_keep_their_earlier_names(
        SweepKind kind, string spec, string paused, string? earlierSpec, string? earlierPaused)
    {
        Assert.Equal(spec, SweepSchedules.SpecVariable(kind));
        Assert.Equal(paused, SweepSchedules.PausedVariable(kind));
        Assert.Equal(earlierSpec, SweepSchedules.EarlierName(kind, spec));
        Assert.Equal(earlierPaused, SweepSchedules.EarlierName(kind, paused));
    }
}
