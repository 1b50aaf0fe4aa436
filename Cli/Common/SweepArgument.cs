using System.CommandLine;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Cli.Common;

/// <summary>
/// The sweep argument of <c>sweep</c> and <c>schedules</c> commands: the name an operator types
/// (orphans, stale-ssm, old-jobs, pool-audit, orphaned-jobs) is the sweep's workflow id without
/// its "sweep-" prefix, so it is derived from <see cref="SweepNames"/> rather than listed again.
/// </summary>
internal static class SweepArgument
{
    /// <summary>The name of <paramref name="kind"/> on the command line.</summary>
    public static string NameOf(SweepKind kind) => SweepNames.WorkflowId(kind)["sweep-".Length..];

    /// <summary>Every sweep name, in definition order.</summary>
    public static IReadOnlyList<string> Names => [.. Enum.GetValues<SweepKind>().Select(NameOf)];

    /// <summary>A required sweep argument; an unknown name is a usage error listing the known ones.</summary>
    public static Argument<SweepKind> Create()
    {
        var sweep = new Argument<SweepKind>("sweep")
        {
            Description = "the sweep: " + string.Join(", ", Names),
            HelpName = string.Join('|', Names),
            // An unknown name is reported by AcceptOnlyFromAmong, and a command with a parse error is not run.
            CustomParser = result => Enum.GetValues<SweepKind>().FirstOrDefault(
                kind => string.Equals(NameOf(kind), result.Tokens[0].Value, StringComparison.OrdinalIgnoreCase)),
        };
        sweep.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. Names]);
        return sweep;
    }
}
