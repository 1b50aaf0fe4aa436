using System.CommandLine;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Cli.Common;

/// <summary>The sweep argument of <c>sweep</c> and <c>schedules</c> commands: the name an operator types
/// (stray-instances, stale-ssm, job-archive, pool-audit, orphaned-jobs) is the sweep's
/// <see cref="SweepDefinition.CliName"/>; the names before issue 14 (orphans, old-jobs) still work.</summary>
internal static class SweepArgument
{
    /// <summary>The name of <paramref name="kind"/> on the command line.</summary>
    public static string NameOf(SweepKind kind) => SweepDefinition.Of(kind).CliName;

    /// <summary>Every sweep name, in definition order.</summary>
    public static IReadOnlyList<string> Names => [.. SweepDefinition.All.Select(d => d.CliName)];

    /// <summary>A required sweep argument; an unknown name is a usage error listing the known ones.</summary>
    public static Argument<SweepKind> Create()
    {
        var sweep = new Argument<SweepKind>("sweep")
        {
            Description = "the sweep: " + string.Join(", ", Names),
            HelpName = string.Join('|', Names),
            // An unknown name is reported by AcceptOnlyFromAmong, and a command with a parse error is not run.
            CustomParser = result => SweepDefinition.All.FirstOrDefault(d => d.Names.Contains(
                result.Tokens[0].Value, StringComparer.OrdinalIgnoreCase))?.Kind ?? default,
        };
        sweep.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. SweepDefinition.All.SelectMany(d => d.Names)]);
        return sweep;
    }
}
