using Temporalio.Client.Schedules;

namespace RunsFleet.Worker.Schedules;

/// <summary>The few schedule operations the applier needs, so it can be tested offline with an
/// in-memory store; <see cref="TemporalScheduleStore"/> is the real one.</summary>
internal interface IScheduleStore
{
    /// <summary>The schedule as the server describes it, or null when it does not exist.</summary>
    Task<Schedule?> DescribeAsync(string scheduleId, CancellationToken cancellationToken);

    /// <summary>Creates the schedule; false when one with this id already exists.</summary>
    Task<bool> TryCreateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken);

    /// <summary>Replaces the schedule's definition with <paramref name="schedule"/>.</summary>
    Task UpdateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken);
}
