using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RunsFleet.Activities.Hosting;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Worker.Hosting;

/// <summary>Healthy while every hosted Temporal worker is still polling (its loop has not ended).</summary>
public sealed class WorkerRunningSignal : IHealthSignal
{
    private readonly IServiceProvider services;

    // The provider, not the hosted services: those include the health writer, which
    // depends on this signal.
    public WorkerRunningSignal(IServiceProvider services)
    {
        this.services = services;
    }

    /// <inheritdoc />
    public string Name => "temporal-worker";

    /// <inheritdoc />
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var workers = this.services.GetServices<IHostedService>().OfType<TemporalWorkerService>().ToList();
        return Task.FromResult(workers.Count > 0 && workers.All(w => w.ExecuteTask is { IsCompleted: false }));
    }
}
