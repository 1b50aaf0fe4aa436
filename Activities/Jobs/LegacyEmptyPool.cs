using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>Status updates of a legacy record. runs-fleet wrote <c>pool = ""</c> before its #227; its
/// pool-status-index (key pool, status) cannot hold an empty string, so DynamoDB refuses every
/// update that touches status on such an item with a ValidationException (runs-fleet commit
/// 2181619). runs-fleet's own orphan sweep REMOVEs the empty pool when it marks a record
/// (pkg/housekeeping/orphans.go); the status writes here do the same, and only then: the update
/// is sent as is first, and only a ValidationException makes it try once more with
/// <c>REMOVE pool</c> under the extra condition <c>pool = ""</c>. An empty pool carries nothing,
/// so nothing is lost.</summary>
internal static class LegacyEmptyPool
{
    private const string PoolName = "#legacy_pool";
    private const string EmptyValue = ":legacy_empty_pool";

    /// <summary>Sends <paramref name="update"/>; null when its condition failed. A ValidationException is
    /// retried once with the empty pool removed; if that retry's condition fails (the pool was not
    /// empty, so the refusal had another cause) the original error is thrown.</summary>
    public static async Task<UpdateItemResponse?> UpdateAsync(
        IAmazonDynamoDB dynamo, UpdateItemRequest update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        try
        {
            return await dynamo.UpdateItemAsync(update, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
        catch (AmazonDynamoDBException refused) when (refused.ErrorCode == "ValidationException")
        {
            try
            {
                return await dynamo.UpdateItemAsync(WithPoolRemoved(update), cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                throw refused;
            }
        }
    }

    /// <summary>The same update that also removes the pool, only from a record whose pool is "".</summary>
    public static UpdateItemRequest WithPoolRemoved(UpdateItemRequest update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var names = new Dictionary<string, string>(update.ExpressionAttributeNames ?? [], StringComparer.Ordinal)
        {
            [PoolName] = JobRecord.Pool,
        };
        var values = new Dictionary<string, AttributeValue>(
            update.ExpressionAttributeValues ?? [], StringComparer.Ordinal)
        {
            [EmptyValue] = new() { S = string.Empty },
        };
        var expression = update.UpdateExpression.Contains(" REMOVE ", StringComparison.Ordinal)
            || update.UpdateExpression.StartsWith("REMOVE ", StringComparison.Ordinal)
            ? update.UpdateExpression + ", " + PoolName
            : update.UpdateExpression + " REMOVE " + PoolName;
        return new UpdateItemRequest
        {
            TableName = update.TableName,
            Key = update.Key,
            UpdateExpression = expression,
            ConditionExpression = $"({update.ConditionExpression}) AND {PoolName} = {EmptyValue}",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValues = update.ReturnValues,
        };
    }
}
