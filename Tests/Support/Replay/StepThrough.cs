using Temporalio.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Runs a workflow to its end without a server, executing its REAL activities in between:
/// <code>
/// var run = await StepThrough.RunAsync&lt;JobTerminationWorkflow&gt;(
///     new HistoryBuilder("JobTermination", input, id).WithStartSearchAttributes(attrs),
///     activity => activity.Type switch { "CompleteJob" => ..., _ => throw ... });
/// run.Result&lt;JobTerminationResult&gt;(); run.Steps; run.Final.SearchAttributes;
/// </code>
/// Each step replays the history so far, which ends after a WorkflowTaskStarted, so the last
/// task runs live; the <see cref="RecordingInterceptor"/> shows the activity the code schedules
/// next (and any search attributes it upserted first). The driver runs that activity through
/// <paramref>runActivity</paramref> (e.g. via ActivityEnvironment against emulators), appends
/// the upsert and the activity's completion (or failure) to the history and replays again,
/// until the workflow returns or fails. The finished history is replayed once more and must
/// match the code (no nondeterminism).
/// </summary>
public static class StepThrough
{
    /// <summary>
    /// Drives the workflow; <paramref name="runActivity"/> returns the activity's result or throws its
    /// failure. <paramref name="patches"/>: the Workflow.Patched ids the code calls before its first
    /// command. The replayer does not show them, so the driver is told: their markers go into the
    /// history ahead of the first step, as the server would have recorded them (without them the
    /// next replay would take the pre-patch path).
    /// </summary>
    public static async Task<StepThroughRun> RunAsync<TWorkflow>(
        HistoryBuilder history,
        Func<RecordedActivity, Task<object?>> runActivity,
        int maxSteps = 20,
        IReadOnlyList<string>? patches = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(runActivity);
        var steps = new List<StepThroughStep>();
        string? knownAttributes = null;
        for (var step = 0; step <= maxSteps; step++)
        {
            var replay = (await ReplayHarness.ReplayAsync<TWorkflow>(history.Build())).EnsureReplayed();
            knownAttributes ??= Render(StartAttributes(replay));
            if (step == 0)
            {
                foreach (var patch in patches ?? [])
                {
                    history.PatchMarker(patch);
                }
            }

            // Upserts are commands of the live task: they go before whatever it did next.
            var attributes = replay.SearchAttributes;
            if (attributes is not null && Render(attributes) != knownAttributes)
            {
                history.SearchAttributesUpserted(attributes);
                knownAttributes = Render(attributes);
            }

            if (replay.Returned)
            {
                history.WorkflowCompleted(replay.Result<System.Text.Json.JsonElement>());
                return await FinishAsync<TWorkflow>(history, steps);
            }

            if (replay.WorkflowException is { } failure)
            {
                var app = failure as ApplicationFailureException;
                history.WorkflowFailed(failure.Message, app?.ErrorType, app?.NonRetryable ?? false);
                return await FinishAsync<TWorkflow>(history, steps);
            }

            var scheduled = replay.Activities.Skip(steps.Count).ToList();
            if (scheduled.Count != 1)
            {
                throw new InvalidOperationException(
                    $"Step {step}: the workflow scheduled {scheduled.Count} new activities ([{string.Join(", ", scheduled.Select(a => a.Type))}]); the driver runs exactly one at a time.");
            }

            var activity = scheduled[0];
            try
            {
                var result = await runActivity(activity);
                steps.Add(new StepThroughStep(activity, result, null));
                history.ActivityCompleted(activity.Type, result, activity.RawArgs.Count == 1 ? activity.RawArgs[0] : null);
            }
            catch (ApplicationFailureException ex)
            {
                // The activity's final failure (the driver does not retry): what the workflow sees after its retries.
                steps.Add(new StepThroughStep(activity, null, ex));
                history.ActivityFailed(activity.Type, ex.ErrorType ?? string.Empty, ex.Message, nonRetryable: true);
            }
        }

        throw new InvalidOperationException($"The workflow did not end within {maxSteps} activities.");
    }

    private static async Task<StepThroughRun> FinishAsync<TWorkflow>(HistoryBuilder history, List<StepThroughStep> steps)
    {
        var final = (await ReplayHarness.ReplayAsync<TWorkflow>(history.Build())).EnsureReplayed();
        return new StepThroughRun(steps, final);
    }

    // The attributes the run started with: what the first replay saw before any upsert is
    // recorded in the started event, which the builder owns; reading them back from the
    // history keeps the driver independent of how the caller built it.
    private static SearchAttributeCollection StartAttributes(ReplayResult replay)
    {
        var started = replay.History.Events.First().WorkflowExecutionStartedEventAttributes.SearchAttributes;
        return started is null ? SearchAttributeCollection.Empty : SearchAttributeCollection.FromProto(started);
    }

    private static string Render(SearchAttributeCollection attributes) =>
        string.Join(
            "\n",
            attributes.UntypedValues
                .Select(pair => $"{pair.Key.Name}={pair.Value}")
                .Order(StringComparer.Ordinal));
}

/// <summary>One activity the driver ran: what the workflow asked for and what came back.</summary>
/// <param name="Activity">Type, arguments and options, as scheduled.</param>
/// <param name="Result">The activity's return value (null when it failed or returns nothing).</param>
/// <param name="Failure">The activity's failure, if it failed.</param>
public sealed record StepThroughStep(RecordedActivity Activity, object? Result, ApplicationFailureException? Failure);

/// <summary>A workflow driven to its end: the activities run and the replay of the whole history.</summary>
/// <param name="Steps">The activities in order.</param>
/// <param name="Final">Replay of the finished history (result, search attributes, exception).</param>
public sealed record StepThroughRun(IReadOnlyList<StepThroughStep> Steps, ReplayResult Final)
{
    /// <summary>The activity types in order.</summary>
    public IReadOnlyList<string> ActivityTypes => [.. Steps.Select(s => s.Activity.Type)];

    /// <summary>The workflow's result.</summary>
    public T Result<T>() => Final.Result<T>();
}
