using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace RunsFleet.Cli.Runs;

/// <summary>One activity of a run, as its history tells it.</summary>
/// <param name="State">Scheduled (no worker took it yet), Started, Completed, Failed, TimedOut or Canceled.</param>
/// <param name="Attempt">The attempt the history recorded (Temporal writes the started event of the last attempt
/// only).</param>
/// <param name="Duration">Scheduled to closed, every retry included; null while it is open.</param>
/// <param name="Failure">The last failure's message (Failed, TimedOut).</param>
internal sealed record ActivityStep(
    string Activity,
    DateTime ScheduledAt,
    int Attempt,
    string State,
    TimeSpan? Duration,
    string? Failure);

/// <summary>Reads the activities of a run out of its history events, in the order they were scheduled.</summary>
internal static class ActivityTimeline
{
    public static IReadOnlyList<ActivityStep> Of(IEnumerable<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var steps = new Dictionary<long, ActivityStep>();
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.ActivityTaskScheduled:
                    steps[e.EventId] = new ActivityStep(e.ActivityTaskScheduledEventAttributes.ActivityType.Name,
                        e.EventTime.ToDateTime(), 1, "Scheduled", null, null);
                    break;
                case EventType.ActivityTaskStarted:
                    Update(steps, e.ActivityTaskStartedEventAttributes.ScheduledEventId, s =>
                        s with { State = "Started", Attempt = e.ActivityTaskStartedEventAttributes.Attempt });
                    break;
                case EventType.ActivityTaskCompleted:
                    Close(steps, e, e.ActivityTaskCompletedEventAttributes.ScheduledEventId, "Completed", null);
                    break;
                case EventType.ActivityTaskFailed:
                    Close(steps, e, e.ActivityTaskFailedEventAttributes.ScheduledEventId, "Failed",
                        e.ActivityTaskFailedEventAttributes.Failure?.Message);
                    break;
                case EventType.ActivityTaskTimedOut:
                    Close(steps, e, e.ActivityTaskTimedOutEventAttributes.ScheduledEventId, "TimedOut",
                        e.ActivityTaskTimedOutEventAttributes.Failure?.Message);
                    break;
                case EventType.ActivityTaskCanceled:
                    Close(steps, e, e.ActivityTaskCanceledEventAttributes.ScheduledEventId, "Canceled", null);
                    break;
                default:
                    break;
            }
        }

        return [.. steps.OrderBy(s => s.Key).Select(s => s.Value)];
    }

    private static void Close(Dictionary<long, ActivityStep> steps, HistoryEvent closed, long scheduledId, string state,
        string? failure) =>
        Update(steps, scheduledId, s => s with { State = state,
            Duration = closed.EventTime.ToDateTime() - s.ScheduledAt, Failure = failure });

    private static void Update(Dictionary<long, ActivityStep> steps, long scheduledId, Func<ActivityStep,
        ActivityStep> change)
    {
        if (steps.TryGetValue(scheduledId, out var step))
        {
            steps[scheduledId] = change(step);
        }
    }
}
