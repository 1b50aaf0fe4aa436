using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Common;
using Temporalio.Client.Schedules;

namespace RunsFleet.Worker.Schedules;

/// <summary>An operator's overrides of one sweep's schedule.</summary>
/// <param name="Spec">Replacement timing (from RUNS_FLEET_SCHEDULE_*_SPEC), or null for the built-in one.</param>
/// <param name="Paused">
/// True/false pins the pause state (RUNS_FLEET_SCHEDULE_*_PAUSED); null leaves an existing
/// schedule's pause state as it is, so a pause made with the temporal CLI survives restarts.
/// </param>
public sealed record SweepScheduleOverride(ScheduleSpec? Spec = null, bool? Paused = null);

/// <summary>Settings shared by the five sweep schedules.</summary>
public sealed record SweepScheduleSettings
{
    /// <summary>Default catch-up window: how late a missed run (server outage) may still start.</summary>
    public static readonly TimeSpan DefaultCatchupWindow = TimeSpan.FromMinutes(60);

    /// <summary>Task queue the scheduled workflows run on.</summary>
    public string TaskQueue { get; init; } = TaskQueues.Default;

    /// <summary>Catch-up window of every schedule (RUNS_FLEET_SCHEDULE_CATCHUP_MINUTES).</summary>
    public TimeSpan CatchupWindow { get; init; } = DefaultCatchupWindow;

    /// <summary>Per-sweep overrides; a missing entry means the built-in definition.</summary>
    public IReadOnlyDictionary<SweepKind, SweepScheduleOverride> Overrides { get; init; } =
        new Dictionary<SweepKind, SweepScheduleOverride>();

    /// <summary>The override of <paramref name="kind"/> (empty when none).</summary>
    public SweepScheduleOverride For(SweepKind kind) =>
        Overrides.TryGetValue(kind, out var value) ? value : new SweepScheduleOverride();
}
