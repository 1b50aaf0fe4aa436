using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using RunsFleet.Activities.Preflight;

namespace RunsFleet.Activities.Jobs;

/// <summary>Every Query of a jobs-table index goes through here: an index that is missing or not yet
/// ACTIVE fails the activity as IndexMissing with its fix (<see cref="MissingIndex"/>) instead of
/// a bare ValidationException or a sweep that keeps failing closed without saying why. Any other
/// error reaches the caller unchanged (AwsCall maps it, or a fail-closed read keeps it).</summary>
internal static class JobsIndexQuery
{
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
