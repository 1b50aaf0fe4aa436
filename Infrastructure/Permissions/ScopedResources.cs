namespace RunsFleet.Infrastructure.Permissions;

/// <summary>The ARNs (or ARN patterns) each <see cref="ResourceScope"/> stands for in one stack.</summary>
public sealed record ScopedResources(
    string TerminationQueueArn,
    string HousekeepingQueueArn,
    string JobsTableArn,
    IReadOnlyList<string> JobsTableIndexArns,
    string PoolsTableArn,
    string RunnerParametersArn,
    string ArchiveObjectsArn,
    string ReportObjectsArn,
    string InstancesArn)
{
    /// <summary>The ARNs of one scope.</summary>
    public IReadOnlyList<string> ArnsOf(ResourceScope scope) => scope switch
    {
        ResourceScope.TerminationQueue => [TerminationQueueArn],
        ResourceScope.HousekeepingQueue => [HousekeepingQueueArn],
        ResourceScope.JobsTable => [JobsTableArn],
        ResourceScope.JobsTableIndexes => JobsTableIndexArns,
        ResourceScope.PoolsTable => [PoolsTableArn],
        ResourceScope.RunnerParameters => [RunnerParametersArn],
        ResourceScope.ArchiveObjects => [ArchiveObjectsArn],
        ResourceScope.ReportObjects => [ReportObjectsArn],
        ResourceScope.ManagedInstances => [InstancesArn],
        ResourceScope.Unscoped => ["*"],
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };
}
