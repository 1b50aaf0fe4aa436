using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Preflight;

namespace RunsFleet.Activities.Jobs;

/// <summary>Every Query of a jobs-table index goes through here: an index that is missing or not yet
/// ACTIVE fails the activity as IndexMissing with its fix (<see cref="MissingIndex"/>) instead of
/// a bare ValidationException or a sweep that keeps failing closed without saying why. Any other
/// error reaches the caller unchanged (AwsCall maps it, or a fail-closed read keeps it).</summary>
internal static class JobsIndexQuery
{
    /// <summary>A Query of <paramref name="index"/> resumed after <paramref name="startKey"/> (null: the first
    /// page), its "#name" placeholders named by <see cref="JobAttributes.Names"/>; a null projection
    /// reads whole items.</summary>
    public static QueryRequest Page(
        JobsTableOptions table,
        string index,
        string keyCondition,
        string? projection,
        Dictionary<string, AttributeValue> values,
        Dictionary<string, AttributeValue>? startKey,
        int? limit = null,
        string? filter = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new QueryRequest
        {
            TableName = table.TableName,
            IndexName = index,
            KeyConditionExpression = keyCondition,
            FilterExpression = filter,
            ProjectionExpression = projection,
            ExpressionAttributeNames = JobAttributes.Names(keyCondition, filter, projection),
            ExpressionAttributeValues = values,
            Limit = limit,
            ExclusiveStartKey = startKey,
        };
    }

    /// <summary>Runs <paramref name="query"/> in an activity: an AWS error fails it typed with its code
    /// (<see cref="AwsCall"/>), named after the index.</summary>
    public static Task<QueryResponse> ReadPageAsync(
        IAmazonDynamoDB dynamo, JobsTableOptions table, QueryRequest query, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("Query " + query.IndexName, () => RunAsync(dynamo, table, query, cancellationToken));

    /// <summary>Runs <paramref name="query"/> (its IndexName one of <paramref name="table"/>'s).</summary>
    public static async Task<QueryResponse> RunAsync(
        IAmazonDynamoDB dynamo, JobsTableOptions table, QueryRequest query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            return await dynamo.QueryAsync(query, cancellationToken);
        }
        catch (AmazonServiceException e) when (MissingIndex.Matches(e.ErrorCode, e.Message, query.IndexName))
        {
            throw MissingIndex.Failure(table, query.IndexName, e.ErrorCode, e.Message, e);
        }
    }
}
