using RunsFleet.Hosting;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Worker.Hosting;

/// <summary>Healthy while every hosted Temporal worker is still polling (its loop has not ended).</summary>
internal sealed class WorkerRunningSignal : RunningServicesSignal<TemporalWorkerService>
{
    public WorkerRunningSignal(IServiceProvider services)
        : base(services)
    {
    }

    /// <inheritdoc />
    public override string Name => "temporal-worker";
}
