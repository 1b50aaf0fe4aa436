using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Converters;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>
/// One workflow run held by <see cref="FakeTemporalClient"/>: its ids, type, keyword search
/// attributes and history (the status and close time come from the history's last event, as on
/// the server), plus what its query handlers answer. A running run can be scripted to close
/// after its last progress answer, so <c>--watch</c> sees progress move and then the result.
/// </summary>
internal sealed class FakeWorkflow
{
    private readonly Queue<object> _progress = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<HistoryEvent> _events;
    private IReadOnlyList<HistoryEvent>? _closeWith;
    private object? _lastProgress;

    public FakeWorkflow(string id, string runId, string type, IEnumerable<HistoryEvent> events, string taskQueue = "runs-fleet")
    {
        Id = id;
        RunId = runId;
        Type = type;
        TaskQueue = taskQueue;
        _events = [.. events];
        if (Status != WorkflowExecutionStatus.Running)
        {
            _closed.SetResult();
        }
    }

    public string Id { get; }

    public string RunId { get; }

    public string Type { get; }

    public string TaskQueue { get; }

    /// <summary>Keyword search attributes by name (RunsFleetJobId, RunsFleetSweepType, ...).</summary>
    public Dictionary<string, string> SearchAttributes { get; init; } = new(StringComparer.Ordinal);

    public IReadOnlyList<HistoryEvent> Events => _events;

    /// <summary>How many times the progress query was answered.</summary>
    public int ProgressQueries { get; private set; }

    public DateTime StartTime => _events[0].EventTime.ToDateTime();

    public DateTime? CloseTime => Status == WorkflowExecutionStatus.Running ? null : _events[^1].EventTime.ToDateTime();

    public WorkflowExecutionStatus Status => _events[^1].EventType switch
    {
        EventType.WorkflowExecutionCompleted => WorkflowExecutionStatus.Completed,
        EventType.WorkflowExecutionFailed => WorkflowExecutionStatus.Failed,
        EventType.WorkflowExecutionTerminated => WorkflowExecutionStatus.Terminated,
        EventType.WorkflowExecutionTimedOut => WorkflowExecutionStatus.TimedOut,
        EventType.WorkflowExecutionCanceled => WorkflowExecutionStatus.Canceled,
        EventType.WorkflowExecutionContinuedAsNew => WorkflowExecutionStatus.ContinuedAsNew,
        _ => WorkflowExecutionStatus.Running,
    };

    /// <summary>The progress query answers, in order; the last one is repeated once they run out.</summary>
    public FakeWorkflow AnswersProgress(params object[] views)
    {
        foreach (var view in views)
        {
            _progress.Enqueue(view);
        }

        return this;
    }

    /// <summary>Once its progress answers run out, the run closes with <paramref name="events"/> (a full history with its close event).</summary>
    public FakeWorkflow ClosesAfterProgressWith(IEnumerable<HistoryEvent> events)
    {
        _closeWith = [.. events];
        return this;
    }

    /// <summary>Closes the run now with <paramref name="events"/>.</summary>
    public void Close(IEnumerable<HistoryEvent> events)
    {
        _events = [.. events];
        _closed.TrySetResult();
    }

    /// <summary>Completes when the run has closed.</summary>
    public Task WaitClosedAsync(CancellationToken cancellationToken) => _closed.Task.WaitAsync(cancellationToken);

    /// <summary>The next progress answer as its payload, or null when the workflow answers no progress query.</summary>
    public Temporalio.Api.Common.V1.Payload? NextProgress()
    {
        if (_progress.TryDequeue(out var next))
        {
            _lastProgress = next;
        }

        if (_lastProgress is null)
        {
            return null;
        }

        ProgressQueries++;
        if (_progress.Count == 0 && _closeWith is { } close)
        {
            _closeWith = null;
            Close(close);
        }

        return DataConverter.Default.PayloadConverter.ToPayload(_lastProgress);
    }
}
