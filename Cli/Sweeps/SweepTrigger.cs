using RunsFleet.Hosting;
using System.Globalization;
using System.Text.Json.Nodes;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Cli.Sweeps;

/// <summary>The trigger of an operator's <c>sweep run</c>: written as the housekeeping message a scheduler
/// would send and read back with the bridge's own parser, so the CLI starts exactly the input
/// a message would (same params, same ranges, same refusal of a param the sweep does not have).</summary>
internal static class SweepTrigger
{
    /// <summary>The trigger of <paramref name="kind"/>; a usage error when <paramref name="max"/> is given to a sweep
    /// without a cap or is out of range.</summary>
    public static HousekeepingTrigger For(SweepKind kind, bool dryRun, int? max, DateTimeOffset now)
    {
        var parameters = new JsonObject { [HousekeepingMessageParser.DryRunParam] = dryRun };
        if (max is { } cap)
        {
            var param = HousekeepingMessageParser.CapParam(kind)
                ?? throw new CliException(ExitCodes.Usage,
                    $"--max: the {SweepArgument.NameOf(kind)} sweep has no cap (only {CappedSweeps()} have one)");
            parameters[param] = cap;
        }

        var message = new JsonObject
        {
            ["task_type"] = SweepNames.TaskType(kind),
            ["timestamp"] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["params"] = parameters,
        };
        var parsed = HousekeepingMessageParser.Parse(message.ToJsonString());
        return parsed.Value ?? throw new CliException(ExitCodes.Usage, $"--max {max}: {parsed.Reason}");
    }

    private static string CappedSweeps() =>
        string.Join(" and ", Enum.GetValues<SweepKind>().Where(k =>
            HousekeepingMessageParser.CapParam(k) is not null).Select(SweepArgument.NameOf));
}
