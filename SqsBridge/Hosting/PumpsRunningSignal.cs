using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.SqsBridge.Hosting;

/// <summary>
/// Healthy while every queue pump's loop is alive and Temporal accepts its starts. A pump
/// retrying starts through a Temporal outage is still healthy (a restart would not bring
/// Temporal back, and the pump resumes by itself); a pump whose starts Temporal refuses
/// (unknown namespace, unregistered search attribute, bad credentials) is not: someone must act.
/// </summary>
public sealed class PumpsRunningSignal : RunningServicesSignal<SqsQueuePump>
{
    public PumpsRunningSignal(IServiceProvider services)
        : base(services)
    {
    }

    /// <inheritdoc />
    public override string Name => "sqs-pumps";

    /// <inheritdoc />
    protected override bool IsServing(SqsQueuePump service) => service.RefusedBecause is null;
}
