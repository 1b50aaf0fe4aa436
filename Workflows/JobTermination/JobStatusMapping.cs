using RunsFleet.Activities.Jobs;
using RunsFleet.Contracts.JobTermination;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>How a reported end status maps onto the job record and the metrics.</summary>
internal static class JobStatusMapping
{
    /// <summary>True for the statuses that end a job (and so complete its record).</summary>
    public static bool EndsJob(JobEndStatus status) =>
        status is JobEndStatus.Success or JobEndStatus.Failure or JobEndStatus.Timeout or JobEndStatus.Interrupted;

    /// <summary>The record status of a job end: the agent's own word, as runs-fleet stores it
    /// (pkg/termination/handler.go passes msg.Status to MarkJobComplete unchanged).</summary>
    public static string ToRecordStatus(JobEndStatus status) => status switch
    {
        JobEndStatus.Success => JobRecord.Success,
        JobEndStatus.Failure => JobRecord.Failure,
        JobEndStatus.Timeout => JobRecord.Timeout,
        JobEndStatus.Interrupted => JobRecord.Interrupted,
        _ => throw new ArgumentOutOfRangeException(
            nameof(status), status, "only a job end has a terminal record status"),
    };

    /// <summary>Only success counts as JobSuccess; every other end (and a failed bootstrap) is a JobFailure.</summary>
    public static bool CountsAsSuccess(JobEndStatus status) => status == JobEndStatus.Success;
}
