using RunsFleet.Hosting;
using Temporalio.Client;

namespace RunsFleet.Cli.Common;

/// <summary>Listing runs through Temporal visibility, the way every read-only command does it.</summary>
internal static class WorkflowRuns
{
    /// <summary>Most runs a command lists; the rest are counted as "more" and left to the Temporal UI.</summary>
    public const int MaxListed = 50;

    /// <summary>Up to <paramref name="limit"/> runs matching <paramref name="query"/>, newest start first
    /// (visibility stores differ in their own order: SQL lists running runs first), and whether more matched.</summary>
    public static async Task<(IReadOnlyList<WorkflowExecution> Runs, bool More)> ListAsync(
        ITemporalClient client, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var runs = new List<WorkflowExecution>();
        var options = new WorkflowListOptions { Limit = limit + 1,
            Rpc = new RpcOptions { CancellationToken = cancellationToken } };
        await foreach (var run in client.ListWorkflowsAsync(query, options).WithCancellation(cancellationToken))
        {
            runs.Add(run);
        }

        var newestFirst = runs.OrderByDescending(r => r.StartTime).ToList();
        return (newestFirst.Take(limit).ToList(), newestFirst.Count > limit);
    }

    /// <summary>A visibility query's string literal: refuses a quote rather than escaping it, ids never hold
    /// one.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\'', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Usage,
                $"'{value}' cannot be searched for: it contains a quote or backslash");
        }

        return "'" + value + "'";
    }
}
