using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Schedules;

namespace RunsFleet.Worker.Hosting;

/// <summary>Applies the sweep schedules when the worker starts (RUNS_FLEET_APPLY_SCHEDULES). It runs
/// beside the worker instead of before it: a Temporal hiccup at start must not keep the
/// worker from processing terminations, so failures are retried with backoff and logged.</summary>
internal sealed class ScheduleApplicationService(
    ScheduleApplier applier, WorkerSettings settings, TimeProvider time, ILogger<ScheduleApplicationService> logger)
    : BackgroundService
{
    /// <summary>2 s doubling to 256 s: about 8.5 minutes of retries before giving up.</summary>
    public static readonly Backoff Backoff = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    /// <summary>Retries after the first attempt before giving up.</summary>
    public const int MaxRetries = 8;

    /// <summary>Results of the last successful apply (null until then).</summary>
    public IReadOnlyList<ScheduleApplyResult>? LastResults { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var definitions = SweepSchedules.All(settings.Schedules);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                LastResults = await applier.ApplyAsync(definitions, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt <= MaxRetries)
            {
                var delay = Backoff.After(attempt);
                logger.LogWarning(
                    e, "Applying the sweep schedules failed (attempt {Attempt}); retrying in {Delay}", attempt, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The worker keeps running: terminations matter more than schedules, and
                // `Worker -- schedules apply` can be run by hand once the cause is fixed.
                logger.LogError(e, "Giving up applying the sweep schedules after {Attempts} attempts; "
                    + "run `dotnet run --project Worker -- schedules apply` once fixed", attempt);
                return;
            }
        }
    }
}
