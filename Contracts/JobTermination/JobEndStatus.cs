using System.Text.Json.Serialization;

namespace RunsFleet.Contracts.JobTermination;

/// <summary>What the runner agent reports about a job (the message's status field).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobEndStatus>))]
public enum JobEndStatus
{
    [JsonStringEnumMemberName("success")] Success,
    [JsonStringEnumMemberName("failure")] Failure,
    [JsonStringEnumMemberName("timeout")] Timeout,
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    [JsonStringEnumMemberName("started")] Started,
    [JsonStringEnumMemberName("bootstrap_failed")] BootstrapFailed,
}
