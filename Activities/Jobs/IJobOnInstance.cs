namespace RunsFleet.Activities.Jobs;

/// <summary>An activity input about one job on one instance: the worker puts both ids into the logging
/// scope of the activity's execution, so every log line of it names them.</summary>
public interface IJobOnInstance
{
    /// <summary>GitHub workflow job id.</summary>
    long JobId { get; }

    /// <summary>EC2 instance id of the runner.</summary>
    string InstanceId { get; }
}
