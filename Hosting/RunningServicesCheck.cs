using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace RunsFleet.Hosting;

/// <summary>Healthy while the host has at least one <typeparamref name="TService"/> and the loop of each is
/// still running: the Worker's Temporal workers, the SqsBridge's queue pumps.</summary>
public sealed class RunningServicesCheck<TService> : IHealthCheck
    where TService : BackgroundService
{
    private readonly IEnumerable<IHostedService> _hosted;

    public RunningServicesCheck(IEnumerable<IHostedService> hosted)
    {
        _hosted = hosted ?? throw new ArgumentNullException(nameof(hosted));
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var services = _hosted.OfType<TService>().ToList();
        var running = services.Count(s => s.ExecuteTask is { IsCompleted: false });
        return Task.FromResult(services.Count > 0 && running == services.Count
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{running} of {services.Count} {typeof(TService).Name} running"));
    }
}
