using System.CommandLine;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Cli.Common;

/// <summary>
/// The sweep argument of <c>sweep</c> and <c>schedules</c> commands: the name an operator types
/// (stray-instances, stale-ssm, job-archive, pool-audit, orphaned-jobs) is the sweep's
/// <see cref="SweepDefinition.CliName"/>; the names before issue 14 (orphans, old-jobs) still work.
/// </summary>
internal static class SweepArgument
{
    /// <summary>The name of <paramref name="kind"/> on the command line.</summary>
    public static string NameOf(SweepKind kind) => SweepDefinition.Of(kind).CliName;

    /// <summary>Every sweep name, in definition order.</summary>
    public static IReadOnlyList<string> Names => [.. Enum.GetValues<SweepKind>().Select(NameOf)];

    /// <summary>A required sweep argument; an unknown name is a usage error listing the known ones.</summary>
    public static Argument<SweepKind> Create() => new("sweep")
    {
        Description = "the sweep: " + string.Join(", ", Names),
        HelpName = string.Join('|', Names),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            foreach (var sweep in SweepDefinition.All)
            {
                if (sweep.CliName == text || sweep.LegacyNames.Contains(text, StringComparer.Ordinal))
                {
                    return sweep.Kind;
                }
            }

            result.AddError($"unknown sweep '{text}' (expected one of {string.Join(", ", Names)})");
            return default;
        },
    };
}
