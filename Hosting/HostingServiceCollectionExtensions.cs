using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    /// Adds the <see cref="HealthFilePublisher"/> the container health check watches: the framework runs
    /// the health checks every <see cref="HealthFileOptions.Interval"/> and the file at <paramref name="path"/>
    /// is touched while all are healthy. Add the checks on the builder returned.
    /// </summary>
    public static IHealthChecksBuilder AddHealthFile(this IServiceCollection services, string path)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(path);
        services.Configure<HealthFileOptions>(o => o.Path = path);
        services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<HealthFileOptions>>((publisher, file) =>
        {
            // At once on start, so a healthy process is seen healthy within one interval of starting.
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = file.Value.Interval;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HealthFilePublisher>();
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<HealthFilePublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<HealthFilePublisher>());
        return services.AddHealthChecks();
    }
}
