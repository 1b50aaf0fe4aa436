namespace RunsFleet.Infrastructure.Permissions;

/// <summary>The ARNs (or ARN patterns) each <see cref="ResourceScope"/> stands for in one stack, and the runner
/// instance profile ARN the <see cref="ResourceScope.RunnerProfileInstances"/> condition compares with (null: not
/// configured).</summary>
public sealed record ScopedResources
{
    public required string TerminationQueueArn { get; init; }

    public required string HousekeepingQueueArn { get; init; }

    public required string JobsTableArn { get; init; }

    public required IReadOnlyList<string> JobsTableIndexArns { get; init; }

    public required string PoolsTableArn { get; init; }

    public required string RunnerParametersArn { get; init; }

    public required string ArchiveObjectsArn { get; init; }

    public required string ReportObjectsArn { get; init; }

    public required string InstancesArn { get; init; }

    public required string? RunnerInstanceProfileArn { get; init; }

    /// <summary>ARN of runs-fleet's job queue the worker requeues to; null: not configured.</summary>
    public string? JobQueueArn { get; init; }

    /// <summary>False for a scope this stack does not configure (no runner instance profile or job queue).</summary>
    public bool Provides(ResourceScope scope) => scope switch
    {
        ResourceScope.RunnerProfileInstances => RunnerInstanceProfileArn is not null,
        ResourceScope.JobQueue => JobQueueArn is not null,
        _ => true,
    };

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
        // The instance scopes differ by their IAM condition only.
        ResourceScope.ManagedInstances or ResourceScope.RunnerProfileInstances or ResourceScope.PackerBuilderInstances
            => [InstancesArn],
        ResourceScope.JobQueue => [JobQueueArn ?? throw new InvalidOperationException("No job queue is configured.")],
        ResourceScope.Unscoped => ["*"],
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };
}
