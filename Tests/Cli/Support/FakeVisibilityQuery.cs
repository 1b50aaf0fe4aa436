using System.Text.RegularExpressions;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>
/// The part of Temporal's visibility query language the fake answers: <c>Name = 'value'</c>
/// clauses joined by AND, over WorkflowId, WorkflowType, ExecutionStatus and the registered
/// RunsFleet keyword attributes. Anything else is refused as the server refuses an unknown
/// attribute (InvalidArgument), so a command cannot rely on a query the fake would misread.
/// </summary>
internal static partial class FakeVisibilityQuery
{
    private static readonly HashSet<string> Builtin = new(StringComparer.Ordinal) { "WorkflowId", "WorkflowType", "ExecutionStatus" };

    /// <summary>A predicate over runs for <paramref name="query"/>.</summary>
    public static Func<FakeWorkflow, bool> Parse(string query)
    {
        var clauses = new List<(string Name, string Value)>();
        foreach (var part in query.Split(" AND ", StringSplitOptions.TrimEntries))
        {
            var match = Clause().Match(part);
            if (!match.Success)
            {
                throw new RpcException(RpcException.StatusCode.InvalidArgument, $"invalid query: '{part}' is not Name = 'value'", null);
            }

            var name = match.Groups["name"].Value;
            if (!Builtin.Contains(name) && !RunsFleetSearchAttributes.All.Any(k => k.Name == name))
            {
                throw new RpcException(RpcException.StatusCode.InvalidArgument, $"invalid query: search attribute {name} is not defined", null);
            }

            clauses.Add((name, match.Groups["value"].Value));
        }

        return run => clauses.All(c => Value(run, c.Name) == c.Value);
    }

    private static string? Value(FakeWorkflow run, string name) => name switch
    {
        "WorkflowId" => run.Id,
        "WorkflowType" => run.Type,
        "ExecutionStatus" => run.Status.ToString(),
        _ => run.SearchAttributes.GetValueOrDefault(name),
    };

    [GeneratedRegex(@"^(?<name>[A-Za-z]+) = '(?<value>[^'\\]*)'\z")]
    private static partial Regex Clause();
}
