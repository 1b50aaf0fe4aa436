using Amazon.CDK.AWS.DynamoDB;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace RunsFleet.Infrastructure.Data;

/// <summary>The GSIs of a jobs table this stack creates: runs-fleet's three (deploy/terraform/dynamodb.tf:61-79, every
/// one projecting ALL) and this project's two. The worker's three come first, in the order earlier releases of
/// this stack created them, so a stack that created the table before only ever appends indexes.</summary>
internal static class JobsTableIndexDefinitions
{
    private static readonly Attribute Status = new() { Name = "status", Type = AttributeType.STRING };
    private static readonly Attribute CreatedAt = new() { Name = "created_at", Type = AttributeType.STRING };
    private static readonly Attribute Pool = new() { Name = "pool", Type = AttributeType.STRING };

    /// <summary>Every index of a created table but the runs-fleet pool indexes in <paramref name="omitted"/>.</summary>
    public static IReadOnlyList<GlobalSecondaryIndexProps> For(
        JobsTableIndexes names, IReadOnlyCollection<string> omitted)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(omitted);
        GlobalSecondaryIndexProps[] all =
        [
            // OldJobArchival: terminal status + completed_at range; the whole record is archived, so ALL.
            new()
            {
                IndexName = names.CompletedAtIndex,
                PartitionKey = Status,
                SortKey = new Attribute { Name = "completed_at", Type = AttributeType.STRING },
                ProjectionType = ProjectionType.ALL,
            },
            // runs-fleet's instance-id-index (dynamodb.tf:68-72): the jobs of an instance (JobTermination without a
            // job id, the re-check before a termination); runs-fleet's GetJobByInstance reads it too.
            new()
            {
                IndexName = names.InstanceIdIndex,
                PartitionKey = new Attribute { Name = "instance_id", Type = AttributeType.STRING },
                ProjectionType = ProjectionType.ALL,
            },
            // The active jobs, once per sweep (one Query per active status, oldest first): only instance_id is read.
            new()
            {
                IndexName = names.ActiveJobsIndex,
                PartitionKey = Status,
                SortKey = CreatedAt,
                ProjectionType = ProjectionType.INCLUDE,
                NonKeyAttributes = ["instance_id"],
            },
            // runs-fleet's orchestrator: QueryPoolJobHistory (dynamodb.tf:17-20) and GetPoolBusyInstanceIDs (:27-30).
            new()
            {
                IndexName = JobsTableIndexes.PoolCreatedAtIndex,
                PartitionKey = Pool,
                SortKey = CreatedAt,
                ProjectionType = ProjectionType.ALL,
            },
            new()
            {
                IndexName = JobsTableIndexes.PoolStatusIndex,
                PartitionKey = Pool,
                SortKey = Status,
                ProjectionType = ProjectionType.ALL,
            },
        ];
        return [.. all.Where(index => !omitted.Contains(index.IndexName))];
    }
}
