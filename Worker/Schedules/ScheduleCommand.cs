using Microsoft.Extensions.Logging.Abstractions;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Worker.Schedules;

/// <summary><c>Worker -- schedules apply|show</c>.</summary>
internal static class ScheduleCommand
{
    /// <summary>Prints the desired schedules (no server needed).</summary>
    public static async Task<int> ShowAsync(SweepScheduleSettings schedules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var definition in SweepSchedules.All(schedules))
        {
            var paused = definition.PinnedPaused switch { true => "paused", false => "unpaused", null =>
                "pause state not pinned" };
            await output.WriteLineAsync(
                $"{definition.ScheduleId}: {definition.Description}; starts "
                    + $"{SweepNames.WorkflowType(definition.Kind)} on {schedules.TaskQueue}; "
                + $"overlap skip; catch-up {schedules.CatchupWindow.TotalMinutes:0} min; {paused}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Connects to Temporal, applies every schedule and prints what changed.</summary>
    public static async Task<int> ApplyAsync(
        TemporalClientConnectOptions temporal,
        SweepScheduleSettings schedules,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var client = await TemporalClient.ConnectAsync(temporal);
            return await ApplyAsync(new TemporalScheduleStore(client), schedules, output, cancellationToken);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or TemporalException)
        {
            await error.WriteLineAsync($"RunsFleet schedules apply: failed against {temporal.TargetHost} (namespace "
                + $"{temporal.Namespace}): {e.Message}");
            return ExitCodes.TemporalError;
        }
    }

    /// <summary>Applies every schedule through <paramref name="store"/> and prints one line each.</summary>
    public static async Task<int> ApplyAsync(IScheduleStore store, SweepScheduleSettings schedules, TextWriter output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(output);
        var applier = new ScheduleApplier(store, NullLogger<ScheduleApplier>.Instance);
        foreach (var result in await applier.ApplyAsync(SweepSchedules.All(schedules), cancellationToken))
        {
            await output.WriteLineAsync(result.ToString());
        }

        return ExitCodes.Success;
    }
}
