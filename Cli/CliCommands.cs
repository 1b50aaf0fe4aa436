using System.CommandLine;
using RunsFleet.Cli.Common;
using RunsFleet.Cli.Doctor;
using RunsFleet.Cli.Dlq;
using RunsFleet.Cli.Pools;
using RunsFleet.Cli.Runs;
using RunsFleet.Cli.Schedules;
using RunsFleet.Cli.Sweeps;

namespace RunsFleet.Cli;

/// <summary>The command groups, one folder each.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return
        [
            SweepCommands.Create(context),
            PoolReportCommand.Create(context),
            RunShowCommands.Job(context),
            RunShowCommands.Instance(context),
            DlqCommands.Build(context),
            ScheduleCommands.Create(context),
            DoctorCommand.Create(context),
        ];
    }
}
