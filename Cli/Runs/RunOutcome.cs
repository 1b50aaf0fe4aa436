using RunsFleet.Contracts.JobTermination;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Converters;

namespace RunsFleet.Cli.Runs;

/// <summary>What a run came to, from its close event: a JobTermination's outcome and detail, a failure's
/// message.</summary>
internal static class RunOutcome
{
    /// <summary>One line, and the JobTermination result when there is one.</summary>
    public static (string Text, JobTerminationResult? Result) Of(string workflowType,
        IReadOnlyList<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var last = events.Count > 0 ? events[^1] : null;
        switch (last?.EventType)
        {
            case EventType.WorkflowExecutionCompleted:
                var payloads = last.WorkflowExecutionCompletedEventAttributes.Result?.Payloads_;
                if (workflowType == JobTerminationIds.WorkflowType && payloads is { Count: 1 })
                {
                    var result = DataConverter.Default.PayloadConverter.ToValue<JobTerminationResult>(payloads[0]);
                    return ($"{result.Outcome}: {result.Detail}", result);
                }

                return ("completed", null);
            case EventType.WorkflowExecutionFailed:
                return ("failed: " + OneLine(last.WorkflowExecutionFailedEventAttributes.Failure?.Message), null);
            case EventType.WorkflowExecutionTerminated:
                return ("terminated: " + OneLine(last.WorkflowExecutionTerminatedEventAttributes.Reason), null);
            case EventType.WorkflowExecutionTimedOut:
                return ("timed out", null);
            case EventType.WorkflowExecutionCanceled:
                return ("canceled", null);
            case EventType.WorkflowExecutionContinuedAsNew:
                return ("continued as new", null);
            default:
                return ("running", null);
        }
    }

    private static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "(no message)" : text.ReplaceLineEndings(" ").Trim();
}
