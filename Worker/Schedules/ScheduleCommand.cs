using Microsoft.Extensions.Logging.Abstractions;
using RunsFleet.Worker.Configuration;
using RunsFleet.Workflows.Schedules;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Worker.Schedules;

/// <summary><c>Worker -- schedules apply|show</c>.</summary>
public static class ScheduleCommand
{
    /// <summary>Prints the desired schedules (no server needed).</summary>
    public static async Task<int> ShowAsync(WorkerSettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var definition in SweepSchedules.All(settings.Schedules))
        {
            var paused = definition.PinnedPaused switch { true => "paused", false => "unpaused", null => "pause state not pinned" };
            await output.WriteLineAsync(
                $"{definition.ScheduleId}: {definition.Description}; starts {Workflows.Sweeps.SweepNames.WorkflowType(definition.Kind)} on {settings.TaskQueue}; "
                + $"overlap skip; catch-up {settings.Schedules.CatchupWindow.TotalMinutes:0} min; {paused}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Connects to Temporal, applies every schedule and prints what changed.</summary>
    public static async Task<int> ApplyAsync(WorkerSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var client = await TemporalClient.ConnectAsync(settings.Temporal);
            return await ApplyAsync(new TemporalScheduleStore(client), settings, output, cancellationToken);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or TemporalException)
        {
            await error.WriteLineAsync($"RunsFleet schedules apply: failed against {settings.Temporal.TargetHost} (namespace {settings.Temporal.Namespace}): {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Applies every schedule through <paramref name="store"/> and prints one line each.</summary>
    public static async Task<int> ApplyAsync(IScheduleStore store, WorkerSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var applier = new ScheduleApplier(store, NullLogger<ScheduleApplier>.Instance);
        foreach (var result in await applier.ApplyAsync(SweepSchedules.All(settings.Schedules), cancellationToken))
        {
            await output.WriteLineAsync(result.ToString());
        }

        return ExitCodes.Success;
    }
}
