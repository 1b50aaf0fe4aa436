using RunsFleet.Hosting;
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
internal sealed class PumpsRunningSignal : RunningServicesSignal<SqsQueuePump>
{
    public PumpsRunningSignal(IServiceProvider services)
        : base(services)
    {
    }

    /// <inheritdoc />
    public override string Name => "sqs-pumps";
}
