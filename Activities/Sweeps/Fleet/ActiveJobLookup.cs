using System.Globalization;
using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>What the jobs table says about an instance.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobLookupOutcome>))]
public enum JobLookupOutcome
{
    /// <summary>Every job record of the instance is terminal (or it has none).</summary>
    NoActiveJob,

    /// <summary>At least one record of the instance is in a non-terminal status.</summary>
    ActiveJob,

    /// <summary>The lookup failed or its answer cannot be trusted; callers must fail closed.</summary>
    Failed,
}

/// <summary>Answer of one instance-id-index lookup.</summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="JobId">The active job's id when there is one.</param>
/// <param name="Reason">Why the lookup failed, for the sweep report.</param>
public sealed record JobLookup(JobLookupOutcome Outcome, long? JobId = null, string? Reason = null)
{
    public static JobLookup None { get; } = new(JobLookupOutcome.NoActiveJob);

    /// <summary>The status of the record that holds the instance, when the answer read it.</summary>
    public string? Status { get; init; }

    public static JobLookup Active(long? jobId, string? status = null) =>
        new(JobLookupOutcome.ActiveJob, jobId) { Status = status };

    /// <summary>The sentence a report shows for an active answer: "job 7 holds it (status orphaned)".</summary>
    public string Describe() =>
        (JobId is { } id ? $"job {id.ToString(CultureInfo.InvariantCulture)} holds it" : "a job holds it")
        + (Status is { } status ? $" (status {status}, not finished)" : string.Empty);

    public static JobLookup Failure(string reason) => new(JobLookupOutcome.Failed, Reason: reason);
}
