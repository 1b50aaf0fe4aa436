using RunsFleet.Hosting;
using System.CommandLine;
using System.Globalization;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace RunsFleet.Cli.Schedules;

/// <summary><c>schedules list|trigger|pause|unpause|backfill</c> over the runs-fleet sweep schedules
/// (ids from <see cref="SweepNames.ScheduleId"/>; the worker's <c>schedules apply</c> creates them).
/// Triggering a destructive sweep, pausing and backfilling need --yes.</summary>
internal static class ScheduleCommands
{
    public static Command Create(CliContext context) =>
        new("schedules", "The sweep schedules: list, trigger, pause, unpause, backfill")
        {
            List(context),
            Action(context, "trigger",
                "Start the sweep now through its schedule (its overlap policy skips it while a run is going)",
                _ => [Confirmation.Yes("confirm starting a sweep that terminates, deletes or marks (not pool-audit)")],
                kind => kind != SweepKind.PoolAudit,
                async (handle, _, _, rpc) =>
                    await handle.TriggerAsync(new ScheduleTriggerOptions { Rpc = rpc }).ConfigureAwait(false),
                "triggered"),
            Action(context, "pause", "Pause the schedule: no run starts until it is unpaused",
                note => [note, Confirmation.Yes("confirm the pause")],
                _ => true,
                async (handle, note, _, rpc) =>
                    await handle.PauseAsync(note ?? "Paused with runs-fleet schedules pause",
                    rpc).ConfigureAwait(false),
                "paused"),
            Action(context, "unpause", "Unpause the schedule", note => [note],
                _ => false,
                async (handle, note, _, rpc) =>
                    await handle.UnpauseAsync(note ?? "Unpaused with runs-fleet schedules unpause",
                    rpc).ConfigureAwait(false),
                "unpaused"),
            Backfill(context),
        };

    private static Command List(CliContext context)
    {
        var command = new Command("list", "Show each sweep's schedule: state, next runs, actions taken");
        command.SetAction(async (parse, ct) =>
        {
            var output = CliApp.Output(parse, context);
            var client = await context.ConnectTemporalAsync(ct).ConfigureAwait(false);
            var rows = new List<ScheduleRow>();
            foreach (var kind in Enum.GetValues<SweepKind>())
            {
                rows.Add(await DescribeAsync(client, kind, ct).ConfigureAwait(false));
            }

            output.Answer(rows, () =>
            {
                var table = output.Table("sweep", "schedule", "state", "next runs (UTC)", "actions", "note");
                foreach (var row in rows)
                {
                    table.AddRow(
                        Markup.Escape(row.Sweep), Markup.Escape(row.ScheduleId), row.State,
                        Markup.Escape(string.Join(", ", row.NextRuns.Select(t => t.ToString("yyyy-MM-dd HH:mm",
                            CultureInfo.InvariantCulture)))),
                        row.Actions?.ToString(CultureInfo.InvariantCulture) ?? "-",
                            Markup.Escape(row.Note ?? string.Empty));
                }

                output.Render(table);
                if (rows.Any(r => r.State == Missing))
                {
                    output.Line("missing schedules are created by the worker's `schedules apply` (or at worker start)");
                }
            });

            return rows.All(r => r.State == Missing) ? ExitCodes.NotFound : ExitCodes.Success;
        });
        return command;
    }

    private const string Missing = "missing";

    private static async Task<ScheduleRow> DescribeAsync(ITemporalClient client, SweepKind kind,
        CancellationToken cancellationToken)
    {
        var id = SweepNames.ScheduleId(kind);
        try
        {
            var description = await client.GetScheduleHandle(id)
                .DescribeAsync(new RpcOptions { CancellationToken = cancellationToken })
                .ConfigureAwait(false);
            var state = description.Schedule.State;
            return new ScheduleRow(SweepArgument.NameOf(kind), id, state.Paused ? "paused" : "active", state.Note,
                [.. description.Info.NextActionTimes.Take(2)], description.Info.NumActions);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return new ScheduleRow(SweepArgument.NameOf(kind), id, Missing, null, [], null);
        }
    }

    // One schedule action: the sweep argument, the extra options, and --yes (one of them) required when needsYes.
    private static Command Action(
        CliContext context,
        string name,
        string description,
        Func<Option<string>, Option[]> extraOptions,
        Func<SweepKind, bool> needsYes,
        Func<ScheduleHandle, string?, ParseResult, RpcOptions, Task> act,
        string done)
    {
        var sweep = SweepArgument.Create();
        var note = new Option<string>("--note") { Description = "why (shown on the schedule in the Temporal UI)" };
        var command = new Command(name, description) { sweep };
        foreach (var option in extraOptions(note))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var kind = parse.GetValue(sweep);
            var id = SweepNames.ScheduleId(kind);
            if (needsYes(kind))
            {
                var what = $"schedules {name} {SweepArgument.NameOf(kind)}";
                Confirmation.Require(parse.GetValue<bool>(Confirmation.YesOption), what, hasDryRun: false);
            }

            var client = await context.ConnectTemporalAsync(ct).ConfigureAwait(false);
            var handle = client.GetScheduleHandle(id);
            await act(handle, parse.GetValue(note), parse,
                new RpcOptions { CancellationToken = ct }).ConfigureAwait(false);
            var output = CliApp.Output(parse, context);
            output.Answer(new ScheduleActionReport(SweepArgument.NameOf(kind), id, name, parse.GetValue(note)),
                () => output.Line($"{done} schedule {id}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Backfill(CliContext context)
    {
        var from = Time("--from", "first scheduled time to run (ISO 8601, e.g. 2026-11-19T00:00:00Z)");
        var to = Time("--to", "last scheduled time to run (exclusive end)");
        var command = Action(context, "backfill", "Run the sweep for every scheduled time between --from and --to",
            _ => [from, to, Confirmation.Yes("confirm the backfill (every run acts for real)")],
            _ => true,
            async (handle, _, parse, rpc) =>
            {
                var (start, end) = (parse.GetValue(from), parse.GetValue(to));
                if (end <= start)
                {
                    throw new CliException(ExitCodes.Usage, $"--to ({end:O}) must be after --from ({start:O})");
                }

                await handle.BackfillAsync([new ScheduleBackfill(start.UtcDateTime, end.UtcDateTime)],
                    rpc).ConfigureAwait(false);
            },
            "backfilled");
        return command;
    }

    private static Option<DateTimeOffset> Time(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a time (ISO 8601, e.g. 2026-11-19T00:00:00Z)");
            return default;
        },
    };
}

/// <summary>One schedule in <c>schedules list</c>; State is active, paused or missing.</summary>
internal sealed record ScheduleRow(string Sweep, string ScheduleId, string State, string? Note,
    IReadOnlyList<DateTime> NextRuns, long? Actions);

/// <summary>The JSON answer of a schedule action.</summary>
internal sealed record ScheduleActionReport(string Sweep, string ScheduleId, string Action, string? Note);
