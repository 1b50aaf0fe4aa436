using System.CommandLine;
using RunsFleet.Cli.Common;
using RunsFleet.Cli.Dlq;

namespace RunsFleet.Cli;

/// <summary>The command groups, one folder each.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return
        [
            DlqCommands.Build(context),
        ];
    }
}
