using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>The metrics pipeline both hosts register the same way.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="System.Diagnostics.Metrics.IMeterFactory"/> and, when
    /// <paramref name="settings"/> name an exporter, one OpenTelemetry MeterProvider (started with
    /// the host) exporting the Temporal SDK's meter and <paramref name="meters"/>: a Prometheus
    /// scrape endpoint at <see cref="TelemetrySettings.Prometheus"/> (GET /metrics) and/or
    /// the OTLP exporter, configured by the OpenTelemetry SDK from the OTEL_EXPORTER_OTLP_*
    /// variables of the host's configuration.
    /// </summary>
    public static IServiceCollection AddRunsFleetMetrics(this IServiceCollection services, TelemetrySettings settings, params string[] meters)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meters);
        services.AddMetrics();
        if (!settings.Exports)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([TemporalMetricsAdapter.MeterName, .. meters]);
                if (settings.Prometheus is { } endpoint)
                {
                    metrics.AddPrometheusHttpListener(o => Listen(o, endpoint));
                }

                if (settings.Otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }

    private static void Listen(PrometheusHttpListenerOptions options, PrometheusEndpoint endpoint)
    {
        options.Host = endpoint.Host;
        options.Port = endpoint.Port;
        if (endpoint.AnyAddress)
        {
            // The listener's own prefix would only answer requests addressed to the literal host.
            options.ConfigureHttpListener = static (o, listener) =>
            {
                listener.Prefixes.Clear();
                listener.Prefixes.Add($"http://+:{o.Port}{o.ScrapeEndpointPath}/");
            };
        }
    }
}
