using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Preflight;

/// <summary>An index of the jobs table this project queries: its keys, what its readers need projected and
/// the variable that names it. Defined once for the preflight (is it there, ACTIVE, right?) and for
/// the query sites' IndexMissing failure, so both give the same fix (<see cref="IndexFix"/>).</summary>
/// <param name="Name">The index name (from <see cref="JobsTableOptions"/>).</param>
/// <param name="Variable">The environment variable naming it.</param>
/// <param name="HashKey">Partition key attribute (type S).</param>
/// <param name="RangeKey">Sort key attribute (type S), or null.</param>
/// <param name="NeededAttributes">
/// Non-key attributes its readers use (job_id, the table key, is always projected); null: every
/// attribute (ProjectionType ALL).
/// </param>
/// <param name="CreateWithAll">True when the fix creates it projecting ALL, as runs-fleet's own indexes do.</param>
/// <param name="RunsFleetDeclares">True for runs-fleet's own index (in its deploy/terraform/dynamodb.tf).</param>
public sealed record JobsIndexRequirement(
    string Name,
    string Variable,
    string HashKey,
    string? RangeKey,
    IReadOnlyList<string>? NeededAttributes,
    bool CreateWithAll,
    bool RunsFleetDeclares)
{
    public const string InstanceIdVariable = "RUNS_FLEET_JOBS_INSTANCE_ID_GSI";
    public const string CompletedAtVariable = "RUNS_FLEET_JOBS_COMPLETED_AT_GSI";
    public const string ActiveJobsVariable = "RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI";

    /// <summary>runs-fleet's instance-id-index (dynamodb.tf:68-72, ALL): JobTermination's job end without a
    /// job id and OrphanSweep's re-check read status and completed_at through it; the bootstrap_failed
    /// requeue (Requeue/RequeueRequests.cs) reads what the requeue message carries.</summary>
    public static JobsIndexRequirement InstanceId(JobsTableOptions table) => new(
        Require(table).InstanceIdIndex,
        InstanceIdVariable,
        JobRecord.InstanceId,
        null,
        [
            JobRecord.Status, JobRecord.CompletedAt, JobRecord.RunId, JobRecord.Repo, JobRecord.InstanceType,
            JobRecord.Pool, JobRecord.RetryCount, JobRecord.OriginalLabel,
        ],
        CreateWithAll: true,
        RunsFleetDeclares: true);

    /// <summary>Ours: OldJobArchival copies whole records to S3 before deleting them, so it must project ALL.</summary>
    public static JobsIndexRequirement CompletedAt(JobsTableOptions table) => new(
        Require(table).CompletedAtIndex, CompletedAtVariable, JobRecord.Status, JobRecord.CompletedAt,
        null, CreateWithAll: true, RunsFleetDeclares: false);

    /// <summary>Ours: the active jobs (OrphanSweep, PoolAudit, OrphanedJobSweep) need only instance_id.</summary>
    public static JobsIndexRequirement ActiveJobs(JobsTableOptions table) => new(
        Require(table).ActiveJobsIndex, ActiveJobsVariable, JobRecord.Status, JobRecord.CreatedAt,
        [JobRecord.InstanceId], CreateWithAll: false, RunsFleetDeclares: false);

    /// <summary>Every index this project queries, in the order the preflight reports them.</summary>
    public static IReadOnlyList<JobsIndexRequirement> All(JobsTableOptions table) =>
        [InstanceId(table), ActiveJobs(table), CompletedAt(table)];

    /// <summary>The requirement of the index named <paramref name="indexName"/>, or null for another name.</summary>
    public static JobsIndexRequirement? Named(JobsTableOptions table, string? indexName) =>
        All(table).FirstOrDefault(r => string.Equals(r.Name, indexName, StringComparison.Ordinal));

    /// <summary>Its keys as DynamoDB prints them, e.g. "HASH status, RANGE created_at".</summary>
    public string KeysText => RangeKey is null ? $"HASH {HashKey}" : $"HASH {HashKey}, RANGE {RangeKey}";

    /// <summary>What it must project, e.g. "ALL" or "INCLUDE instance_id (or ALL)".</summary>
    public string ProjectionText => NeededAttributes is null
        ? "ALL"
        : $"INCLUDE {string.Join(", ", NeededAttributes)} (or ALL)";

    /// <summary>True when an index projecting <paramref name="projectionType"/> (+ <paramref name="nonKeyAttributes"/>)
    /// serves its readers.</summary>
    public bool IsServedBy(string? projectionType, IReadOnlyCollection<string>? nonKeyAttributes)
    {
        if (string.Equals(projectionType, "ALL", StringComparison.Ordinal))
        {
            return true;
        }

        if (NeededAttributes is null)
        {
            return false;
        }

        // Key attributes of the index and of the table are projected by every projection type.
        var projected = new HashSet<string>(nonKeyAttributes ?? [], StringComparer.Ordinal)
        {
            HashKey,
            JobRecord.JobId,
        };
        if (RangeKey is not null)
        {
            projected.Add(RangeKey);
        }

        return (projectionType is "INCLUDE" or "KEYS_ONLY") && NeededAttributes.All(projected.Contains);
    }

    private static JobsTableOptions Require(JobsTableOptions table) =>
        table ?? throw new ArgumentNullException(nameof(table));
}
