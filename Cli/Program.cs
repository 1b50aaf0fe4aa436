using RunsFleet.Cli;
using RunsFleet.Cli.Common;

return await CliApp.RunAsync(args, CliContext.FromProcess());
