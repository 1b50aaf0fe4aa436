using Microsoft.Extensions.Logging;
using Temporalio.Client.Schedules;

namespace RunsFleet.Worker.Schedules;

/// <summary>What applying one schedule did.</summary>
internal enum ScheduleChange
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>The outcome of applying one schedule; <paramref name="Differences"/> lists what an update
/// changed.</summary>
internal sealed record ScheduleApplyResult(string ScheduleId, ScheduleChange Change, IReadOnlyList<string> Differences,
    string Timing)
{
    /// <summary>One line for the apply command's output.</summary>
    public override string ToString() => Change switch
    {
        ScheduleChange.Updated => $"updated   {ScheduleId} ({string.Join(", ", Differences)}): {Timing}",
        ScheduleChange.Created => $"created   {ScheduleId}: {Timing}",
        _ => $"unchanged {ScheduleId}: {Timing}",
    };
}

/// <summary>Creates the sweep schedules or converges them on their definitions, idempotently: a
/// missing schedule is created; an existing one is updated only when its spec, policy,
/// action or pinned pause state differ, so applying twice changes nothing the second time.</summary>
internal sealed class ScheduleApplier(IScheduleStore store, ILogger<ScheduleApplier> logger)
{
    private readonly IScheduleStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly ILogger<ScheduleApplier> _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <summary>Applies every definition, in order.</summary>
    public async Task<IReadOnlyList<ScheduleApplyResult>> ApplyAsync(IEnumerable<SweepScheduleDefinition> definitions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var results = new List<ScheduleApplyResult>();
        foreach (var definition in definitions)
        {
            var result = await ApplyAsync(definition, cancellationToken);
            _logger.LogInformation("Schedule {ScheduleId}: {Change} {Differences} ({Timing})", result.ScheduleId,
                result.Change, result.Differences, result.Timing);
            results.Add(result);
        }

        return results;
    }

    /// <summary>Applies one definition.</summary>
    public async Task<ScheduleApplyResult> ApplyAsync(SweepScheduleDefinition definition,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var described = await _store.DescribeAsync(definition.ScheduleId, cancellationToken);
        if (described is null)
        {
            if (await _store.TryCreateAsync(definition.ScheduleId, definition.Schedule, cancellationToken))
            {
                return Result(definition, ScheduleChange.Created, []);
            }

            // Another worker created it between describe and create: converge on theirs.
            described = await _store.DescribeAsync(definition.ScheduleId, cancellationToken)
                ?? throw new InvalidOperationException($"Schedule {definition.ScheduleId} exists but cannot be "
                    + $"described");
        }

        var differences = ScheduleDrift.Find(definition, described);
        if (differences.Count == 0)
        {
            return Result(definition, ScheduleChange.Unchanged, []);
        }

        await _store.UpdateAsync(definition.ScheduleId, Converged(definition, described), cancellationToken);
        return Result(definition, ScheduleChange.Updated, differences);
    }

    private static ScheduleApplyResult Result(SweepScheduleDefinition definition, ScheduleChange change,
        IReadOnlyList<string> differences) =>
        new(definition.ScheduleId, change, differences, definition.Description);

    // The definition, keeping the described state unless the definition pins the pause
    // state: an operator's `temporal schedule toggle --pause` survives worker restarts.
    private static Schedule Converged(SweepScheduleDefinition definition, Schedule described) =>
        definition.PinnedPaused is null || definition.PinnedPaused == described.State.Paused
            ? definition.Schedule with { State = described.State }
            : definition.Schedule;
}
