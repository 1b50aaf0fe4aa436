namespace RunsFleet.Activities.Jobs;

/// <summary>Records when a job started, once, on behalf of the instance that runs it.</summary>
/// <param name="JobId">GitHub workflow job id (the table's key).</param>
/// <param name="InstanceId">Instance reporting the start; must own the record.</param>
/// <param name="StartedAt">When the job started.</param>
public sealed record RecordJobStartedRequest(long JobId, string InstanceId, DateTimeOffset StartedAt) : IJobOnInstance;
