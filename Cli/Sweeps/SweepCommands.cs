using System.CommandLine;
using RunsFleet.Cli.Common;

namespace RunsFleet.Cli.Sweeps;

/// <summary>The <c>sweep</c> group: run, last.</summary>
internal static class SweepCommands
{
    public static Command Create(CliContext context) =>
        new("sweep", "Run the housekeeping sweeps and read their results")
        {
            SweepRunCommand.Create(context),
            SweepLastCommand.Create(context),
        };
}
