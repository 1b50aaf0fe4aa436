using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RunsFleet.Activities.Hosting;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.SqsBridge.Hosting;

/// <summary>
/// Healthy while every queue pump's loop is alive and Temporal accepts its starts. A pump
/// retrying starts through a Temporal outage is still healthy (a restart would not bring
/// Temporal back, and the pump resumes by itself); a pump whose starts Temporal refuses
/// (unknown namespace, unregistered search attribute, bad credentials) is not: someone must act.
/// </summary>
public sealed class PumpsRunningSignal : IHealthSignal
{
    private readonly IServiceProvider services;

    // The provider, not the hosted services: those include the health writer, which
    // depends on this signal.
    public PumpsRunningSignal(IServiceProvider services)
    {
        this.services = services;
    }

    /// <inheritdoc />
    public string Name => "sqs-pumps";

    /// <inheritdoc />
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var pumps = this.services.GetServices<IHostedService>().OfType<SqsQueuePump>().ToList();
        return Task.FromResult(pumps.Count > 0 && pumps.All(p => p.ExecuteTask is { IsCompleted: false } && p.RefusedBecause is null));
    }
}
