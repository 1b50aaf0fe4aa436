namespace RunsFleet.Workflows.JobTermination;

/// <summary>How a reported end status maps onto the job record and the metrics.</summary>
internal static class JobStatusMapping
{
    /// <summary>True for the statuses that end a job (and so complete its record).</summary>
    public static bool EndsJob(JobEndStatus status) =>
        status is JobEndStatus.Success or JobEndStatus.Failure or JobEndStatus.Timeout or JobEndStatus.Interrupted;

    /// <summary>The terminal record status of a job end: success -> completed, failure -> failed, ...</summary>
    public static string ToRecordStatus(JobEndStatus status) => status switch
    {
        JobEndStatus.Success => "completed",
        JobEndStatus.Failure => "failed",
        JobEndStatus.Timeout => "timeout",
        JobEndStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "only a job end has a terminal record status"),
    };

    /// <summary>Only success counts as JobSuccess; every other end (and a failed bootstrap) is a JobFailure.</summary>
    public static bool CountsAsSuccess(JobEndStatus status) => status == JobEndStatus.Success;
}
