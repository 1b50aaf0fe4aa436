using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Common;
using Temporalio.Converters;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Builds a synthetic workflow history to replay without a server:
/// <code>
/// var history = new HistoryBuilder("JobTermination", input)
///     .ActivityCompleted("CompleteJob", completion)
///     .TimerFired(TimeSpan.FromMinutes(1))
///     .ActivityFailed("DeleteRunnerParameters", "ThrottlingException", "slow down")
///     .WorkflowCompleted(result)
///     .Build();
/// </code>
/// Each step writes the events the server would (ids 1..N, cross references, activity ids "1",
/// "2", ... and timer ids "1", "2", ... in call order) followed by a workflow task
/// scheduled/started/completed group. Without a terminal step <see cref="Build"/> ends the history
/// after the last WorkflowTaskStarted, so the replayer runs that last task live (its commands are
/// not checked, but a <see cref="RecordingInterceptor"/> still sees them).
/// </summary>
public sealed class HistoryBuilder
{
    private static readonly IPayloadConverter Converter = DataConverter.Default.PayloadConverter;
    private readonly List<HistoryEvent> _events = [];
    private readonly string _taskQueue;
    private DateTimeOffset _clock;
    private long _lastTaskCompletedId;
    private int _activitySeq;
    private int _timerSeq;
    private bool _terminal;

    /// <summary>
    /// Starts a history: WorkflowExecutionStarted (type, task queue, input, 10 s workflow task timeout)
    /// and the first workflow task (its completion carries core flag 1, which turns on the replayer's
    /// activity type/id checks). <paramref name="input"/> is the workflow's single argument (null:
    /// no arguments). <paramref name="startTime"/> defaults to 2026-01-01T00:00:00Z and is what
    /// Workflow.UtcNow shows in the first task.
    /// </summary>
    public HistoryBuilder(
        string workflowType,
        object? input,
        string? workflowId = null,
        string taskQueue = "runs-fleet",
        DateTimeOffset? startTime = null)
    {
        WorkflowId = workflowId ?? $"{workflowType}-replay";
        _taskQueue = taskQueue;
        _clock = startTime ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new Temporalio.Api.Common.V1.WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = taskQueue, Kind = TaskQueueKind.Normal },
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            OriginalExecutionRunId = RunId,
            FirstExecutionRunId = RunId,
            Attempt = 1,
            Identity = "history-builder",
        };
        if (input is not null)
        {
            started.Input = Payloads(input);
        }

        Add(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = started);
        WorkflowTask(firstTask: true);
    }

    /// <summary>Workflow id of the history (Workflow.Info.WorkflowId during replay).</summary>
    public string WorkflowId { get; }

    /// <summary>Run id written into the started event.</summary>
    public string RunId { get; } = "00000000-0000-4000-8000-000000000001";

    /// <summary>Number of events so far.</summary>
    public int EventCount => _events.Count;

    /// <summary>Search attributes the workflow was started with (Workflow.TypedSearchAttributes at start).</summary>
    public HistoryBuilder WithStartSearchAttributes(SearchAttributeCollection attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        _events[0].WorkflowExecutionStartedEventAttributes.SearchAttributes = attributes.ToProto();
        return this;
    }

    /// <summary>Moves the history clock on (e.g. to make the next task's Workflow.UtcNow later).</summary>
    public HistoryBuilder Advance(TimeSpan by)
    {
        _clock += by;
        return this;
    }

    /// <summary>The workflow scheduled activity <paramref name="activityType"/> and it returned <paramref name="result"/> (null: no result).</summary>
    public HistoryBuilder ActivityCompleted(string activityType, object? result, object? input = null) =>
        ParallelActivitiesCompleted((activityType, result, input));

    /// <summary>
    /// The workflow scheduled these activities in one task (e.g. Task.WhenAll) and all completed
    /// before its next task. Each item: (type, result, optional input).
    /// </summary>
    public HistoryBuilder ParallelActivitiesCompleted(params (string Type, object? Result, object? Input)[] activities)
    {
        EnsureOpen();
        var scheduledIds = activities.Select(a => ScheduleActivity(a.Type, a.Input)).ToList();
        for (var i = 0; i < activities.Length; i++)
        {
            var scheduledId = scheduledIds[i];
            var startedId = StartActivity(scheduledId);
            var completed = new ActivityTaskCompletedEventAttributes { ScheduledEventId = scheduledId, StartedEventId = startedId, Identity = "history-builder" };
            if (activities[i].Result is { } result)
            {
                completed.Result = Payloads(result);
            }

            Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = completed);
        }

        WorkflowTask();
        return this;
    }

    /// <summary>
    /// The workflow scheduled <paramref name="activityType"/> and it failed with an application failure
    /// of <paramref name="errorType"/> (non-retryable by default, so retries are over and the workflow's
    /// catch (ActivityFailureException) branch runs).
    /// </summary>
    public HistoryBuilder ActivityFailed(string activityType, string errorType, string message, bool nonRetryable = true, object? input = null)
    {
        EnsureOpen();
        var scheduledId = ScheduleActivity(activityType, input);
        var startedId = StartActivity(scheduledId);
        Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new ActivityTaskFailedEventAttributes
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            Identity = "history-builder",
            RetryState = nonRetryable ? RetryState.NonRetryableFailure : RetryState.MaximumAttemptsReached,
            Failure = ApplicationFailure(errorType, message, nonRetryable),
        });
        WorkflowTask();
        return this;
    }

    /// <summary>
    /// The activity ran out of time for good (its schedule-to-close timeout passed, so no retry
    /// is left): the workflow sees an ActivityFailureException wrapping a TimeoutFailureException.
    /// </summary>
    public HistoryBuilder ActivityTimedOut(string activityType, object? input = null)
    {
        EnsureOpen();
        var scheduledId = ScheduleActivity(activityType, input);
        var startedId = StartActivity(scheduledId);
        Add(EventType.ActivityTaskTimedOut, e => e.ActivityTaskTimedOutEventAttributes = new ActivityTaskTimedOutEventAttributes
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            RetryState = RetryState.Timeout,
            Failure = new Failure
            {
                Message = "activity ScheduleToClose timeout",
                TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.ScheduleToClose },
            },
        });
        WorkflowTask();
        return this;
    }

    /// <summary>The workflow started a timer (Workflow.DelayAsync) of <paramref name="duration"/> and it fired.</summary>
    public HistoryBuilder TimerFired(TimeSpan duration)
    {
        EnsureOpen();
        var timerId = (++_timerSeq).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var startedId = Add(EventType.TimerStarted, e => e.TimerStartedEventAttributes = new TimerStartedEventAttributes
        {
            TimerId = timerId,
            StartToFireTimeout = Duration.FromTimeSpan(duration),
            WorkflowTaskCompletedEventId = _lastTaskCompletedId,
        });
        _clock += duration;
        Add(EventType.TimerFired, e => e.TimerFiredEventAttributes = new TimerFiredEventAttributes { TimerId = timerId, StartedEventId = startedId });
        WorkflowTask();
        return this;
    }

    /// <summary>
    /// The workflow upserted search attributes. An upsert does not block, so this adds only the
    /// UpsertWorkflowSearchAttributes event to the current task's commands (no task group): put it
    /// before the step the workflow does next (e.g. the next ActivityCompleted), in code order.
    /// </summary>
    public HistoryBuilder SearchAttributesUpserted(SearchAttributeCollection? attributes = null)
    {
        EnsureOpen();
        Add(EventType.UpsertWorkflowSearchAttributes, e => e.UpsertWorkflowSearchAttributesEventAttributes = new UpsertWorkflowSearchAttributesEventAttributes
        {
            WorkflowTaskCompletedEventId = _lastTaskCompletedId,
            SearchAttributes = attributes?.ToProto() ?? new SearchAttributes(),
        });
        return this;
    }

    /// <summary>
    /// The workflow called <c>Workflow.Patched(patchId)</c> outside replay in the task just completed:
    /// the MarkerRecorded event the server writes for it (marker "core_patch", details "patch-data"
    /// = {"id", "deprecated"} as sdk-core encodes them), placed, like any command of that task, before
    /// the step the workflow does next. A history with it replays the patched path.
    /// </summary>
    public HistoryBuilder PatchMarker(string patchId)
    {
        EnsureOpen();
        var marker = new MarkerRecordedEventAttributes { MarkerName = "core_patch", WorkflowTaskCompletedEventId = _lastTaskCompletedId };
        marker.Details.Add("patch-data", Payloads(new PatchData(patchId, false)));
        Add(EventType.MarkerRecorded, e => e.MarkerRecordedEventAttributes = marker);
        return this;
    }

    /// <summary>The workflow returned <paramref name="result"/> (null: no result, e.g. Task without value).</summary>
    public HistoryBuilder WorkflowCompleted(object? result)
    {
        EnsureOpen();
        var completed = new WorkflowExecutionCompletedEventAttributes { WorkflowTaskCompletedEventId = _lastTaskCompletedId };
        if (result is not null)
        {
            completed.Result = Payloads(result);
        }

        Add(EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = completed);
        _terminal = true;
        return this;
    }

    /// <summary>The workflow failed (threw an ApplicationFailureException of <paramref name="errorType"/>).</summary>
    public HistoryBuilder WorkflowFailed(string message, string? errorType = null, bool nonRetryable = false)
    {
        EnsureOpen();
        Add(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new WorkflowExecutionFailedEventAttributes
        {
            WorkflowTaskCompletedEventId = _lastTaskCompletedId,
            RetryState = RetryState.RetryPolicyNotSet,
            Failure = ApplicationFailure(errorType ?? string.Empty, message, nonRetryable),
        });
        _terminal = true;
        return this;
    }

    /// <summary>The workflow continued as new as <paramref name="workflowType"/> with <paramref name="input"/>.</summary>
    public HistoryBuilder ContinuedAsNew(string workflowType, object? input)
    {
        EnsureOpen();
        var continued = new WorkflowExecutionContinuedAsNewEventAttributes
        {
            NewExecutionRunId = "00000000-0000-4000-8000-000000000002",
            WorkflowType = new Temporalio.Api.Common.V1.WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = _taskQueue, Kind = TaskQueueKind.Normal },
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            WorkflowTaskCompletedEventId = _lastTaskCompletedId,
            Initiator = ContinueAsNewInitiator.Workflow,
        };
        if (input is not null)
        {
            continued.Input = Payloads(input);
        }

        Add(EventType.WorkflowExecutionContinuedAsNew, e => e.WorkflowExecutionContinuedAsNewEventAttributes = continued);
        _terminal = true;
        return this;
    }

    /// <summary>
    /// The history to replay. After a terminal step it is complete; otherwise it ends after the last
    /// WorkflowTaskStarted so that task runs live.
    /// </summary>
    public WorkflowHistory Build()
    {
        var result = _events.Select(e => e.Clone()).ToList();
        if (!_terminal && result[^1].EventType == EventType.WorkflowTaskCompleted)
        {
            result.RemoveAt(result.Count - 1);
        }

        return new WorkflowHistory(WorkflowId, result);
    }

    /// <summary>The payload the default data converter makes of <paramref name="value"/> (json/plain).</summary>
    public static Payload Payload(object? value) => Converter.ToPayload(value);

    private static Payloads Payloads(object value) => new() { Payloads_ = { Payload(value) } };

    // sdk-core's patch marker data: {"id": ..., "deprecated": ...} (lower-case names, json/plain).
    private sealed record PatchData(
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("deprecated")] bool Deprecated);

    private static Failure ApplicationFailure(string errorType, string message, bool nonRetryable) => new()
    {
        Message = message,
        Source = "DotNetSDK",
        ApplicationFailureInfo = new ApplicationFailureInfo { Type = errorType, NonRetryable = nonRetryable },
    };

    private long ScheduleActivity(string activityType, object? input)
    {
        var scheduled = new ActivityTaskScheduledEventAttributes
        {
            ActivityId = (++_activitySeq).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ActivityType = new ActivityType { Name = activityType },
            TaskQueue = new TaskQueue { Name = _taskQueue, Kind = TaskQueueKind.Normal },
            ScheduleToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)),
            HeartbeatTimeout = Duration.FromTimeSpan(TimeSpan.Zero),
            WorkflowTaskCompletedEventId = _lastTaskCompletedId,
        };
        if (input is not null)
        {
            scheduled.Input = Payloads(input);
        }

        return Add(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = scheduled);
    }

    private long StartActivity(long scheduledId) =>
        Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new ActivityTaskStartedEventAttributes
        {
            ScheduledEventId = scheduledId,
            Attempt = 1,
            Identity = "history-builder",
            RequestId = $"request-{_events.Count + 1}",
        });

    private void WorkflowTask(bool firstTask = false)
    {
        var scheduledId = Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new WorkflowTaskScheduledEventAttributes
        {
            TaskQueue = new TaskQueue { Name = _taskQueue, Kind = TaskQueueKind.Normal },
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Attempt = 1,
        });
        var startedId = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new WorkflowTaskStartedEventAttributes
        {
            ScheduledEventId = scheduledId,
            Identity = "history-builder",
            RequestId = $"request-{_events.Count + 1}",
        });
        var completed = new WorkflowTaskCompletedEventAttributes
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            Identity = "history-builder",
        };
        if (firstTask)
        {
            // Core flag 1 turns on the activity type/id checks; without it swapped activities replay silently.
            completed.SdkMetadata = new WorkflowTaskCompletedMetadata { CoreUsedFlags = { 1 } };
        }

        _lastTaskCompletedId = Add(EventType.WorkflowTaskCompleted, e => e.WorkflowTaskCompletedEventAttributes = completed);
    }

    private long Add(EventType type, Action<HistoryEvent> setAttributes)
    {
        _clock = _clock.AddMilliseconds(1);
        var historyEvent = new HistoryEvent
        {
            EventId = _events.Count + 1,
            EventTime = Timestamp.FromDateTimeOffset(_clock),
            EventType = type,
        };
        setAttributes(historyEvent);
        _events.Add(historyEvent);
        return historyEvent.EventId;
    }

    private void EnsureOpen()
    {
        if (_terminal)
        {
            throw new InvalidOperationException("The history already ends with a terminal event.");
        }
    }
}
