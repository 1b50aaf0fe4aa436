using System.Globalization;

namespace RunsFleet.Workflows.JobTermination;

/// <summary>
/// Workflow ids of JobTermination runs. The id is derived from what the message is
/// about, never from the SQS message, so a redelivered or duplicated message maps to
/// the same id and Temporal refuses a second run.
/// </summary>
public static class JobTerminationIds
{
    /// <summary>Temporal workflow type name.</summary>
    public const string WorkflowType = "JobTermination";

    /// <summary>
    /// job-termination-{job}-{instance} for a job's end, ...-started for its start
    /// report, job-termination-bootstrap-{instance} when the runner never got a job.
    /// </summary>
    public static string For(JobTerminationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Status switch
        {
            JobEndStatus.BootstrapFailed => $"job-termination-bootstrap-{input.InstanceId}",
            JobEndStatus.Started => $"job-termination-{Job(input)}-{input.InstanceId}-started",
            _ => $"job-termination-{Job(input)}-{input.InstanceId}",
        };
    }

    private static string Job(JobTerminationInput input) =>
        input.JobId?.ToString(CultureInfo.InvariantCulture)
        ?? throw new ArgumentException($"status {input.Status} needs a job id", nameof(input));
}
