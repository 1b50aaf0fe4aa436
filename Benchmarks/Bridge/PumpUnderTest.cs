using Amazon.SQS;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// The only place the benchmark builds the bridge, so a rewrite of the pump's internals touches
/// nothing else here. Production wiring: the real <see cref="TerminationMessageHandler"/> and
/// <see cref="BridgeOptions"/> defaults (concurrency included) except the queue URL.
/// </summary>
internal static class PumpUnderTest
{
    public static (BackgroundService Pump, int MaxConcurrency) Create(
        IAmazonSQS sqs, string queueUrl, IWorkflowStarter starter, ILoggerFactory logs)
    {
        var options = new BridgeOptions { TerminationQueueUrl = queueUrl };
        var handler = new TerminationMessageHandler(starter, options, logs.CreateLogger<TerminationMessageHandler>());
        var pump = new SqsQueuePump(sqs, queueUrl, handler, options, logs.CreateLogger<SqsQueuePump>());
        return (pump, options.MaxConcurrency);
    }
}
