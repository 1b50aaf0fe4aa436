using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Workflows.Common;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Common;

namespace RunsFleet.Worker.Schedules;

/// <summary>The housekeeping schedules, defined in code (they replace the EventBridge rules):
/// stray instances every 15 minutes, stale SSM parameters every hour, old job records daily at
/// 02:00 UTC, the pool audit daily at 09:00 UTC, orphaned job records every 15 minutes. Pure data: <see
/// cref="ScheduleApplier"/> applies them.</summary>
internal static class SweepSchedules
{
    /// <summary>Note left on a schedule created from these definitions.</summary>
    public const string CreatedNote = "Managed by the RunsFleet worker (Worker/Schedules/SweepSchedules.cs)";

    /// <summary>Built-in timing of each sweep.</summary>
    public static ScheduleSpec DefaultSpec(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances or SweepKind.OrphanedJobs => Every(TimeSpan.FromMinutes(15)),
        SweepKind.StaleSsm => Every(TimeSpan.FromHours(1)),
        SweepKind.JobArchive => DailyUtc(2, "daily at 02:00 UTC"),
        SweepKind.PoolAudit => DailyUtc(9, "daily at 09:00 UTC"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Input a scheduled run starts with: not a dry run, every other setting null so the
    /// worker's configured defaults apply (changing a default then needs no schedule update).</summary>
    public static object DefaultInput(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances => new StrayInstanceSweepInput(),
        SweepKind.StaleSsm => new StaleSsmSweepInput(),
        SweepKind.JobArchive => new JobArchiveInput(),
        SweepKind.PoolAudit => new PoolAuditInput(),
        SweepKind.OrphanedJobs => new OrphanedJobSweepInput(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every sweep's desired schedule under <paramref name="settings"/>.</summary>
    public static IReadOnlyList<SweepScheduleDefinition> All(SweepScheduleSettings settings) =>
        Enum.GetValues<SweepKind>().Select(kind => For(kind, settings)).ToList();

    /// <summary>The desired schedule of one sweep.</summary>
    public static SweepScheduleDefinition For(SweepKind kind, SweepScheduleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var overrides = settings.For(kind);
        var spec = overrides.Spec ?? DefaultSpec(kind);
        var action = ScheduleActionStartWorkflow.Create(
            SweepNames.WorkflowType(kind),
            [DefaultInput(kind)],
            new WorkflowOptions(SweepNames.WorkflowId(kind), settings.TaskQueue)
            {
                TypedSearchAttributes = new SearchAttributeCollection.Builder()
                    // The RunsFleetSweepType search attribute of a sweep's runs is its task_type.
                    .Set(RunsFleetSearchAttributes.SweepType, SweepNames.TaskType(kind))
                    .ToSearchAttributeCollection(),
            });
        var schedule = new Schedule(action, spec)
        {
            Policy = new SchedulePolicy
            {
                // A sweep still running when the next one is due makes the next one pointless.
                Overlap = ScheduleOverlapPolicy.Skip,
                CatchupWindow = settings.CatchupWindow,
            },
            State = new ScheduleState
            {
                Paused = overrides.Paused ?? false,
                Note = overrides.Paused == true
                    ? $"Paused by configuration ({PausedVariable(kind)}=true)"
                    : CreatedNote,
            },
        };
        return new SweepScheduleDefinition(kind, SweepNames.ScheduleId(kind), schedule, overrides.Paused,
            Describe(spec));
    }

    /// <summary>Environment variable that pins the pause state of <paramref name="kind"/>'s schedule.</summary>
    public static string PausedVariable(SweepKind kind) => $"RUNS_FLEET_SCHEDULE_{Root(kind)}_PAUSED";

    /// <summary>Environment variable that overrides the timing of <paramref name="kind"/>'s schedule.</summary>
    public static string SpecVariable(SweepKind kind) => $"RUNS_FLEET_SCHEDULE_{Root(kind)}_SPEC";

    // STRAY_INSTANCES, STALE_SSM, JOB_ARCHIVE, POOL_AUDIT, ORPHANED_JOBS: the sweep's root.
    private static string Root(SweepKind kind) => SweepDefinition.Of(kind).VariableRoot;

    /// <summary>The name <paramref name="variable"/> (<see cref="SpecVariable"/> or <see cref="PausedVariable"/>) had
    /// before issue 14, from the workflow id (ORPHANS, OLD_JOBS), still read; null where it did not change.</summary>
    public static string? EarlierName(SweepKind kind, string variable)
    {
        var earlier = SweepNames.WorkflowId(kind)["sweep-".Length..].Replace('-', '_').ToUpperInvariant();
        return earlier == Root(kind) ? null : variable.Replace(Root(kind), earlier, StringComparison.Ordinal);
    }

    /// <summary>Readable timing: "every 15m", "daily at 02:00 UTC", "cron 0 3 * * *".</summary>
    public static string Describe(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Intervals.Select(i => "every " + FormatInterval(i.Every))
            .Concat(spec.Calendars.Select(c => c.Comment ?? "calendar"))
            .Concat(spec.CronExpressions.Select(c => "cron " + c));
        return string.Join(", ", parts);
    }

    private static string FormatInterval(TimeSpan every) =>
        every.TotalDays >= 1 && every.TotalDays == Math.Floor(every.TotalDays) ? $"{every.TotalDays:0}d"
        : every.TotalHours >= 1 && every.TotalHours == Math.Floor(every.TotalHours) ? $"{every.TotalHours:0}h"
        : every.TotalMinutes == Math.Floor(every.TotalMinutes) ? $"{every.TotalMinutes:0}m"
        : $"{every.TotalSeconds:0}s";

    private static ScheduleSpec Every(TimeSpan interval) => new() { Intervals = [new ScheduleIntervalSpec(interval)] };

    private static ScheduleSpec DailyUtc(int hour, string comment) => new()
    {
        Calendars =
        [
            new ScheduleCalendarSpec
            {
                Second = [ScheduleRange.Zero],
                Minute = [ScheduleRange.Zero],
                Hour = [new ScheduleRange(hour)],
                Comment = comment,
            },
        ],
        // Explicit so the time cannot drift with a server's local time zone.
        TimeZoneName = "UTC",
    };
}
