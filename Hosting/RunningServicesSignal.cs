using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunsFleet.Hosting;

/// <summary>
/// Healthy while the host has at least one <typeparamref name="TService"/> and the loop of
/// each is still running. Each host derives its
/// signal from this: the Worker's Temporal workers, the SqsBridge's queue pumps.
/// </summary>
public abstract class RunningServicesSignal<TService> : IHealthSignal
    where TService : BackgroundService
{
    private readonly IServiceProvider _services;

    // The provider, not the hosted services: those include the health writer, which
    // depends on this signal.
    protected RunningServicesSignal(IServiceProvider services)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var running = _services.GetServices<IHostedService>().OfType<TService>().ToList();
        return Task.FromResult(running.Count > 0 && running.All(s => s.ExecuteTask is { IsCompleted: false }));
    }
}
