using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client.Schedules;
using Temporalio.Converters;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>
/// A schedule held by <see cref="FakeTemporalClient"/>: its definition and state (pause, note),
/// the times the server says it will fire next and its recent actions, and a record of every
/// trigger and backfill asked of it.
/// </summary>
internal sealed class FakeSchedule(string id, Schedule schedule)
{
    public string Id { get; } = id;

    public Schedule Schedule { get; private set; } = schedule;

    /// <summary>Next fire times (ScheduleInfo.NextActionTimes).</summary>
    public List<DateTime> NextActionTimes { get; init; } = [];

    /// <summary>Actions taken so far (ScheduleInfo.NumActions).</summary>
    public long ActionCount { get; init; }

    public List<ScheduleTriggerOptions> Triggers { get; } = [];

    public List<ScheduleBackfill> Backfills { get; } = [];

    public void SetPaused(bool paused, string note) =>
        Schedule = Schedule with { State = Schedule.State with { Paused = paused, Note = note } };

    /// <summary>What DescribeAsync returns: the SDK's description over the server's answer.</summary>
    public ScheduleDescription Describe()
    {
        var raw = new DescribeScheduleResponse
        {
            Info = new Temporalio.Api.Schedule.V1.ScheduleInfo
            {
                ActionCount = ActionCount,
                CreateTime = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            },
        };
        raw.Info.FutureActionTimes.AddRange(NextActionTimes.Select(Timestamp.FromDateTime));
        return new Description(Id, Schedule, raw);
    }

    private sealed class Description(string id, Schedule schedule, DescribeScheduleResponse raw)
        : ScheduleDescription(id, schedule, raw, DataConverter.Default);
}
