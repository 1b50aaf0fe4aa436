using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RunsFleet.Activities.Hosting;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.SqsBridge.Hosting;

/// <summary>
/// Liveness: healthy while every queue pump's loop is alive. A pump holding messages through a
/// Temporal outage, or stopped by a refusal (unknown namespace, unregistered search attribute,
/// bad credentials), is still alive: a replacement task could fix neither, and replacing it
/// would spend one receive of every message it holds, which after a few replacements would
/// dead-letter valid messages. A refusal is reported where people look instead: one Error
/// naming the cause and <see cref="SqsQueuePump.RefusedBecause"/>.
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
        return Task.FromResult(pumps.Count > 0 && pumps.All(p => p.ExecuteTask is { IsCompleted: false }));
    }
}
