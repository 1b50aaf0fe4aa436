using System.Diagnostics.Metrics;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;
using Temporalio.Client;

namespace RunsFleet.SqsBridge.Hosting;

/// <summary>Registers the bridge in any generic host (the standalone bridge, or the Worker's dev mode).</summary>
public static class SqsBridgeServiceCollectionExtensions
{
    /// <summary>Adds one <see cref="SqsQueuePump"/> hosted service per configured queue (termination,
    /// and housekeeping when its URL is set). Uses, when already registered: an
    /// <see cref="IAmazonSQS"/> (else the SDK's default chain: AWS_REGION, AWS_ENDPOINT_URL_SQS,
    /// credentials...), an <see cref="IWorkflowStarter"/> (else <see cref="TemporalWorkflowStarter"/>,
    /// which needs an <see cref="ITemporalClient"/> in the container, e.g. from
    /// <see cref="HostingServiceCollectionExtensions.AddTemporalClient"/> or Temporalio.Extensions.Hosting's
    /// AddTemporalClient) and a <see cref="TimeProvider"/>. Adds the "sqs-pumps" health check (the health file:
    /// <see cref="HostingServiceCollectionExtensions.AddHealthFile"/>). Counts on a
    /// <see cref="BridgeMetrics"/> meter, which the host's metrics pipeline exports
    /// (<see cref="RunsFleet.Hosting.Telemetry.TelemetryServiceCollectionExtensions.AddRunsFleetMetrics"/>).
    /// Raises the host's shutdown timeout above the bridge's grace period.</summary>
    public static IServiceCollection AddSqsBridge(this IServiceCollection services, BridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.TryAddSingleton<IAmazonSQS>(_ => new AmazonSQSClient());
        services.TryAddSingleton<IWorkflowStarter, TemporalWorkflowStarter>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TerminationMessageHandler>();
        services.TryAddSingleton<HousekeepingMessageHandler>();
        // Liveness: every pump's loop alive. A pump holding messages through a Temporal outage, or
        // stopped by a refusal (unknown namespace, unregistered search attribute, bad credentials), is
        // alive: a replacement task could fix neither, and each replacement would spend one receive of
        // every message it holds, dead-lettering valid ones. A refusal is one Error log naming the cause.
        services.AddHealthChecks().AddCheck<RunningServicesCheck<SqsQueuePump>>("sqs-pumps");
        services.AddMetrics();
        services.TryAddSingleton(sp => new BridgeMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<IHostedService>(sp => CreatePump(sp, options, options.TerminationQueueUrl,
            sp.GetRequiredService<TerminationMessageHandler>()));
        if (options.HousekeepingQueueUrl is { } housekeeping)
        {
            services.AddSingleton<IHostedService>(sp => CreatePump(sp, options, housekeeping,
                sp.GetRequiredService<HousekeepingMessageHandler>()));
        }

        // The long poll and in-flight starts get the grace period, then the last deletes a few
        // seconds more; the host must not give up before that.
        var needed = options.ShutdownGrace + TimeSpan.FromSeconds(10);
        services.Configure<HostOptions>(host =>
        {
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
    }

    private static SqsQueuePump CreatePump(IServiceProvider services, BridgeOptions options, string queueUrl,
        IQueueMessageHandler handler) =>
        new(
            services.GetRequiredService<IAmazonSQS>(),
            queueUrl,
            handler,
            options,
            services.GetRequiredService<ILogger<SqsQueuePump>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<BridgeMetrics>());
}
