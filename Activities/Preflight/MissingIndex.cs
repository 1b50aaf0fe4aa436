using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Preflight;

/// <summary>A Query refused because its index is missing or not yet ACTIVE: a deployment problem no retry
/// fixes, so the activity fails non-retryable with <see cref="FailureTypes.IndexMissing"/> and the
/// same one fix the preflight (<c>runs-fleet doctor</c>) gives.</summary>
public static class MissingIndex
{
    /// <summary>True when DynamoDB's answer means <paramref name="indexName"/> cannot be read. DynamoDB (and
    /// dynalite, DynamoDB Local) answer a missing index with ValidationException "The table does not
    /// have the specified index: NAME", a new one with ValidationException "Cannot read from
    /// backfilling global secondary index: NAME"; a ResourceNotFoundException counts only when it
    /// names the index (without it, it means the table, whose fix is another).</summary>
    public static bool Matches(string? errorCode, string? message, string? indexName)
    {
        if (string.IsNullOrEmpty(indexName) || message is null)
        {
            return false;
        }

        return errorCode switch
        {
            "ValidationException" =>
                message.Contains("does not have the specified index", StringComparison.OrdinalIgnoreCase)
                || IsBackfilling(message),
            "ResourceNotFoundException" => message.Contains(indexName, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>The failure of a Query of <paramref name="indexName"/> on <paramref name="table"/>.</summary>
    public static ApplicationFailureException Failure(
        JobsTableOptions table, string indexName, string errorCode, string message, Exception? inner = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cause = $"{errorCode}: {message.ReplaceLineEndings(" ").Trim()}";
        string text;
        if (JobsIndexRequirement.Named(table, indexName) is not { } index)
        {
            text = $"Query {indexName} of {table.TableName} refused ({cause}); run `runs-fleet doctor` for the fix";
        }
        else if (IsBackfilling(message))
        {
            text = $"Query {indexName} of {table.TableName} refused: the index is being created ({cause}). "
                + $"Fix: wait until it is ACTIVE: {IndexFix.WaitCommand(table.TableName, indexName)}";
        }
        else
        {
            text = $"Query {indexName} of {table.TableName} refused: the jobs table has no index {indexName} "
                + $"({index.KeysText}; projection {index.ProjectionText}) ({cause}). "
                + $"Fix: {IndexFix.CreateCommand(table.TableName, index)} . Terraform: "
                + $"{IndexFix.TerraformSummary(index)}. "
                + "`runs-fleet doctor` checks every index";
        }

        return new ApplicationFailureException(text, inner, errorType: FailureTypes.IndexMissing, nonRetryable: true);
    }

    private static bool IsBackfilling(string message) =>
        message.Contains("backfilling global secondary index", StringComparison.OrdinalIgnoreCase);
}
