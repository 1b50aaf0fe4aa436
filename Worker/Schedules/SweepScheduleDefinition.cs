using RunsFleet.Contracts.Sweeps;
using Temporalio.Client.Schedules;

namespace RunsFleet.Worker.Schedules;

/// <summary>One sweep's desired Temporal Schedule.</summary>
/// <param name="Kind">The sweep.</param>
/// <param name="ScheduleId">Temporal schedule id (runs-fleet-orphans, ...).</param>
/// <param name="Schedule">Action, spec, policy and initial state to create or converge to.</param>
/// <param name="PinnedPaused">Pause state enforced on an existing schedule; null = left as the operator set it.</param>
/// <param name="Description">Human readable timing, for logs and the apply command.</param>
internal sealed record SweepScheduleDefinition(
    SweepKind Kind,
    string ScheduleId,
    Schedule Schedule,
    bool? PinnedPaused,
    string Description);
