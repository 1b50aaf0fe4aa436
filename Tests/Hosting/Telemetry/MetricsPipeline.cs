using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Telemetry;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>
/// The hosts' real metrics pipeline (<see cref="TelemetryServiceCollectionExtensions.AddRunsFleetMetrics"/>)
/// in a service provider of its own, with a bridge meter of its own to record on. The Temporal
/// SDK's meter is process-wide (one runtime per process), as in the hosts.
/// </summary>
internal sealed class MetricsPipeline : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="reader">An extra reader on the same MeterProvider: sees what the exporters see.</param>
    public MetricsPipeline(
        TelemetrySettings settings, IReadOnlyDictionary<string, string?>? configuration = null, MetricReader? reader = null)
    {
        var services = new ServiceCollection();
        // What a host's configuration holds (its environment): the OpenTelemetry SDK reads OTEL_* from it.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build());
        services.AddRunsFleetMetrics(settings, BridgeMetrics.MeterName);
        if (reader is not null)
        {
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(reader));
        }

        _services = services.BuildServiceProvider();
        Bridge = new BridgeMetrics(_services.GetRequiredService<IMeterFactory>());

        // Built (and its exporters started) on first resolve, as the host does at start.
        Provider = _services.GetRequiredService<MeterProvider>();
    }

    public MeterProvider Provider { get; }

    public BridgeMetrics Bridge { get; }

    public void Dispose()
    {
        Bridge.Dispose();
        _services.Dispose();
    }
}
