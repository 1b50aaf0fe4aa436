using System.Text.Json;
using Temporalio.Common;
using Temporalio.Converters;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>What one replay showed: replay failure (if any) and what the workflow did.</summary>
public sealed class ReplayResult
{
    private readonly RecordingInterceptor _recorder;

    /// <summary>Created by <see cref="ReplayHarness"/>.</summary>
    public ReplayResult(WorkflowHistory history, Exception? replayFailure, RecordingInterceptor recorder)
    {
        History = history;
        ReplayFailure = replayFailure;
        _recorder = recorder;
    }

    /// <summary>The history that was replayed.</summary>
    public WorkflowHistory History { get; }

    /// <summary>Why the replay failed (e.g. a nondeterminism error), or null when the code matched the history.</summary>
    public Exception? ReplayFailure { get; }

    /// <summary>True when <see cref="ReplayFailure"/> is a nondeterminism error (code and history disagree on commands).</summary>
    public bool IsNondeterministic => ReplayFailure is Temporalio.Exceptions.WorkflowNondeterminismException;

    /// <summary>Activities the workflow scheduled, in order.</summary>
    public IReadOnlyList<RecordedActivity> Activities => _recorder.Activities;

    /// <summary>Just the activity types, in order.</summary>
    public IReadOnlyList<string> ActivityTypes => [.. _recorder.Activities.Select(a => a.Type)];

    /// <summary>Timer durations the workflow asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers => _recorder.Timers;

    /// <summary>True when the workflow's run method returned (not threw, not continued as new, not still waiting).</summary>
    public bool Returned => _recorder.Returned;

    /// <summary>What the run method threw (other than continue-as-new), e.g. an ApplicationFailureException.</summary>
    public Exception? WorkflowException => _recorder.Exception;

    /// <summary>The continue-as-new the workflow asked for, or null.</summary>
    public RecordedContinueAsNew? ContinuedAsNew => _recorder.ContinueAsNew;

    /// <summary>Continue-as-new arguments as JSON (empty when it did not continue as new).</summary>
    public IReadOnlyList<JsonElement> ContinueAsNewArgs => _recorder.ContinueAsNew?.Args ?? [];

    /// <summary>Workflow.TypedSearchAttributes when the run ended (start attributes plus upserts).</summary>
    public SearchAttributeCollection? SearchAttributes => _recorder.SearchAttributes;

    /// <summary>Throws with the replay failure when the replay did not match the history.</summary>
    public ReplayResult EnsureReplayed()
    {
        if (ReplayFailure is not null)
        {
            throw new InvalidOperationException(
                $"Replay of {History.Id} failed; activities scheduled: [{string.Join(", ", ActivityTypes)}].", ReplayFailure);
        }

        return this;
    }

    /// <summary>The workflow's return value converted to <typeparamref name="T"/> through its payload (throws if it did not return).</summary>
    public T Result<T>()
    {
        if (!_recorder.Returned)
        {
            throw new InvalidOperationException(
                $"The workflow did not return (exception: {_recorder.Exception?.Message ?? "none"}; continued as new: {_recorder.ContinueAsNew is not null}; replay failure: {ReplayFailure?.Message ?? "none"}).");
        }

        var converter = DataConverter.Default.PayloadConverter;
        return converter.ToValue<T>(converter.ToPayload(_recorder.ReturnValue));
    }

    /// <summary>The workflow's return value as JSON (throws if it did not return).</summary>
    public JsonElement ResultJson() => Result<JsonElement>();
}
