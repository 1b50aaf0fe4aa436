namespace RunsFleet.Infrastructure.Data;

/// <summary>
/// Names of the jobs table's GSIs the worker queries (the same three settings as the worker's JobsTableOptions:
/// RUNS_FLEET_JOBS_INSTANCE_ID_GSI, RUNS_FLEET_JOBS_COMPLETED_AT_GSI, RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI).
/// The stack creates them under these names, grants Query on them and hands them to the worker.
/// </summary>
/// <param name="InstanceIdIndex">Keyed by instance_id: runs-fleet's instance-id-index (dynamodb.tf:68-72).</param>
/// <param name="CompletedAtIndex">status + completed_at, ALL: OldJobArchival; added by this project.</param>
/// <param name="ActiveJobsIndex">status + created_at, INCLUDE instance_id: the active jobs; this project's.</param>
public sealed record JobsTableIndexes(string InstanceIdIndex, string CompletedAtIndex, string ActiveJobsIndex)
{
    /// <summary>runs-fleet's index of a pool's jobs by creation time (dynamodb.tf:61-66), its orchestrator's.</summary>
    public const string PoolCreatedAtIndex = "pool-created-at-index";

    /// <summary>runs-fleet's index of a pool's jobs by status (dynamodb.tf:74-79), for its orchestrator.</summary>
    public const string PoolStatusIndex = "pool-status-index";

    /// <summary>The worker's defaults (Activities/Jobs/JobsTableOptions.cs).</summary>
    public static JobsTableIndexes Defaults { get; } =
        new("instance-id-index", "completed_at-index", "status-created_at-index");

    /// <summary>The indexes only runs-fleet's orchestrator reads: a created table may leave them out a while.</summary>
    public static IReadOnlyList<string> RunsFleetOnly { get; } = [PoolCreatedAtIndex, PoolStatusIndex];

    /// <summary>The three names, in the order the grants list them.</summary>
    public IReadOnlyList<string> All => [CompletedAtIndex, InstanceIdIndex, ActiveJobsIndex];
}
