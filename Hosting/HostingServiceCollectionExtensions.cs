using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RunsFleet.Hosting.Telemetry;
using Temporalio.Client;

namespace RunsFleet.Hosting;

/// <summary>The registrations both hosts make the same way: the Temporal client and the health file.</summary>
public static class HostingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a lazily connecting <see cref="ITemporalClient"/> for
    /// <paramref name="connectOptions"/> (e.g. from <see cref="TemporalConnectionSettings.Load"/>),
    /// unless one is registered already. Lazy so a host builds, and starts during a Temporal
    /// outage, without a server: the client connects on first use. The client runs on the process's
    /// <see cref="TemporalTelemetry.Runtime"/> unless the options name a runtime, so the SDK's metrics
    /// (and those of a Temporal worker on this client) reach the metrics pipeline.
    /// </summary>
    public static IServiceCollection AddLazyTemporalClient(this IServiceCollection services, TemporalClientConnectOptions connectOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connectOptions);
        services.TryAddSingleton<ITemporalClient>(sp =>
        {
            var options = (TemporalClientConnectOptions)connectOptions.Clone();
            options.LoggerFactory ??= sp.GetRequiredService<ILoggerFactory>();
            options.Runtime ??= TemporalTelemetry.Runtime;
            return TemporalClient.CreateLazy(options);
        });
        return services;
    }

    /// <summary>
    /// Adds the <see cref="HealthFileWriter"/> the container health check watches, touching
    /// <paramref name="path"/> while every registered <see cref="IHealthSignal"/> is healthy.
    /// </summary>
    public static IServiceCollection AddHealthFile(this IServiceCollection services, string path)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(path);
        services.Configure<HealthFileOptions>(o => o.Path = path);
        services.AddHostedService<HealthFileWriter>();
        return services;
    }
}
