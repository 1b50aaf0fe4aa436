using Amazon.CDK.AWS.DynamoDB;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace RunsFleet.Infrastructure.Data;

/// <summary>The GSIs of a jobs table this stack creates: runs-fleet's three (deploy/terraform/dynamodb.tf:61-79, every
/// one projecting ALL) and this project's two. The worker's three come first, in the order earlier releases of
/// this stack created them, so a stack that created the table before only ever appends indexes.</summary>
internal static class JobsTableIndexDefinitions
{
    private static readonly Attribute Status = Key("status");
    private static readonly Attribute CreatedAt = Key("created_at");
    private static readonly Attribute Pool = Key("pool");

    /// <summary>Every index of a created table but the runs-fleet pool indexes in <paramref name="omitted"/>.</summary>
    public static IReadOnlyList<GlobalSecondaryIndexProps> For(
        JobsTableIndexes names, IReadOnlyCollection<string> omitted)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(omitted);
        GlobalSecondaryIndexProps[] all =
        [
            // OldJobArchival: terminal status + completed_at range; the whole record is archived, so ALL.
            Index(names.CompletedAtIndex, Status, Key("completed_at")),
            // runs-fleet's instance-id-index (dynamodb.tf:68-72): the jobs of an instance (JobTermination without a
            // job id, the re-check before a termination); runs-fleet's GetJobByInstance reads it too.
            Index(names.InstanceIdIndex, Key("instance_id"), sortKey: null),
            // The active jobs, once per sweep (one Query per active status, oldest first): only instance_id is read.
            Index(names.ActiveJobsIndex, Status, CreatedAt, ProjectionType.INCLUDE, ["instance_id"]),
            // runs-fleet's orchestrator: QueryPoolJobHistory (dynamodb.tf:17-20) and GetPoolBusyInstanceIDs (:27-30).
            Index(JobsTableIndexes.PoolCreatedAtIndex, Pool, CreatedAt),
            Index(JobsTableIndexes.PoolStatusIndex, Pool, Status),
        ];
        return [.. all.Where(index => !omitted.Contains(index.IndexName))];
    }

    private static Attribute Key(string name) => new() { Name = name, Type = AttributeType.STRING };

    /// <summary>An index projecting ALL unless <paramref name="projection"/> says otherwise.</summary>
    private static GlobalSecondaryIndexProps Index(string name, Attribute partitionKey, Attribute? sortKey,
        ProjectionType? projection = null, string[]? nonKeyAttributes = null) => new()
    {
        IndexName = name,
        PartitionKey = partitionKey,
        SortKey = sortKey,
        ProjectionType = projection ?? ProjectionType.ALL,
        NonKeyAttributes = nonKeyAttributes,
    };
}
