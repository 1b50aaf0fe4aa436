using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Preflight;

/// <summary>The preflight's DynamoDB reads: one DescribeTable per table, never one per index (the answer
/// lists every index with its keys, projection and status). Never throws for an AWS or network
/// failure: the probe carries it, and the rules report the check as not made.</summary>
public static class PreflightTables
{
    /// <summary>Describes the jobs and the pools table (2 requests).</summary>
    public static async Task<(TableProbe Jobs, TableProbe Pools)> DescribeAsync(
        IAmazonDynamoDB dynamo, PreflightSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        ArgumentNullException.ThrowIfNull(settings);
        var jobs = await DescribeAsync(dynamo, settings.Jobs.TableName, cancellationToken);
        var pools = await DescribeAsync(dynamo, settings.PoolsTable, cancellationToken);
        return (jobs, pools);
    }

    /// <summary>One DescribeTable of <paramref name="table"/>.</summary>
    public static async Task<TableProbe> DescribeAsync(
        IAmazonDynamoDB dynamo, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        try
        {
            var request = new DescribeTableRequest { TableName = table };
            var response = await dynamo.DescribeTableAsync(request, cancellationToken);
            return new TableProbe(table, TableShape.From(response.Table), null);
        }
        catch (Exception e) when (ProbeFailure.IsExpected(e, cancellationToken))
        {
            return new TableProbe(table, null, ProbeFailure.Describe(e));
        }
    }
}
