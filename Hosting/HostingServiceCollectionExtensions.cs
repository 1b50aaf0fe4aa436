using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RunsFleet.Hosting.Telemetry;
using Temporalio.Client;

namespace RunsFleet.Hosting;

/// <summary>The registrations both hosts make the same way: the Temporal client and the health file.</summary>
public static class HostingServiceCollectionExtensions
{
    /// <summary>The SDK's client registration (Temporalio.Extensions.Hosting: a lazy <see cref="ITemporalClient"/>,
    /// unless one is registered already, with the container's logger factory) fed with what
    /// <see cref="TemporalConnectionSettings.Load"/> read. Lazy, so a host builds, and starts during a
    /// Temporal outage, without a server: the client connects on first use. On the process's
    /// <see cref="TemporalTelemetry.Runtime"/> unless the options name one, so the SDK's metrics (and a
    /// Temporal worker's on this client) reach the metrics pipeline.</summary>
    public static OptionsBuilder<TemporalClientConnectOptions> AddTemporalClient(
        this IServiceCollection services, TemporalClientConnectOptions connect)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connect);
        return services.AddTemporalClient().Configure(options =>
        {
            // What ClientEnvConfig sets (address, namespace, API key, TLS, gRPC metadata), and the runtime.
            options.TargetHost = connect.TargetHost;
            options.Namespace = connect.Namespace;
            options.ApiKey = connect.ApiKey;
            options.Tls = connect.Tls;
            options.RpcMetadata = connect.RpcMetadata;
            options.Runtime = connect.Runtime ?? TemporalTelemetry.Runtime;
        });
    }

    /// <summary>Adds the <see cref="HealthFilePublisher"/> the container health check watches: the framework runs
    /// the health checks every <see cref="HealthFileOptions.Interval"/> and the file at <paramref name="path"/>
    /// is touched while all are healthy. Add the checks on the builder returned.</summary>
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
