using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RunsFleet.Contracts.JobTermination;

/// <summary>Workflow ids of JobTermination runs. The id is derived from what the message is about,
/// never from the SQS message, so a redelivered or duplicated message maps to the same id
/// and Temporal refuses a second run.</summary>
public static class JobTerminationIds
{
    /// <summary>Temporal workflow type name.</summary>
    public const string WorkflowType = "JobTermination";

    /// <summary>Hex digits of the event discriminator (64 bits of SHA-256).</summary>
    public const int EventDigits = 16;

    /// <summary>job-termination-{job}-{instance} for a job's end, ...-started for its start report.
    /// Runs keyed by the instance alone add the event's discriminator, because one instance
    /// (a reused warm-pool instance) can report several such events over its life:
    /// job-termination-bootstrap-{instance}-{event} when the runner never got a job, and
    /// job-termination-instance-{instance}-{event} for a job end without a job id.</summary>
    public static string For(JobTerminationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Status switch
        {
            JobEndStatus.BootstrapFailed => $"job-termination-bootstrap-{input.InstanceId}-{EventDiscriminator(input)}",
            JobEndStatus.Started => $"job-termination-{Job(input)}-{input.InstanceId}-started",
            _ when input.JobId is null => $"job-termination-instance-{input.InstanceId}-{EventDiscriminator(input)}",
            _ => $"job-termination-{Job(input)}-{input.InstanceId}",
        };
    }

    /// <summary>The first 16 hex digits of SHA-256 over a canonical encoding of what the message said,
    /// without the SQS message id: the same report delivered or sent twice gives the same value,
    /// a report that differs in any field (another time, another error) a different one. Two
    /// reports with identical content are one event. Pure: no clock, no I/O.</summary>
    public static string EventDiscriminator(JobTerminationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var canonical = new StringBuilder();
        Field(canonical, "status", StatusName(input.Status));
        Field(canonical, "instance_id", input.InstanceId);
        Field(canonical, "job_id", input.JobId?.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "exit_code", input.ExitCode.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "duration_seconds", input.DurationSeconds.ToString("R", CultureInfo.InvariantCulture));
        Field(canonical, "started_at", input.StartedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "completed_at", input.CompletedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "error", input.Error);
        Field(canonical, "interrupted_by", input.InterruptedBy);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(hash)[..EventDigits];
    }

    // name, then "-" for absent or the value's length and the value: no two different inputs
    // encode alike, whatever characters the free text holds.
    private static void Field(StringBuilder canonical, string name, string? value)
    {
        canonical.Append(name).Append('=');
        if (value is null)
        {
            canonical.Append('-');
        }
        else
        {
            canonical.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }

        canonical.Append(';');
    }

    // Wire names, so renaming an enum member never changes ids of runs already started.
    private static string StatusName(JobEndStatus status) => status switch
    {
        JobEndStatus.Success => "success",
        JobEndStatus.Failure => "failure",
        JobEndStatus.Timeout => "timeout",
        JobEndStatus.Interrupted => "interrupted",
        JobEndStatus.Started => "started",
        JobEndStatus.BootstrapFailed => "bootstrap_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Job(JobTerminationInput input) =>
        input.JobId?.ToString(CultureInfo.InvariantCulture)
        ?? throw new ArgumentException($"status {input.Status} needs a job id", nameof(input));
}
