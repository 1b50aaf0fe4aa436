using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>The metrics pipeline both hosts register the same way.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Registers <see cref="System.Diagnostics.Metrics.IMeterFactory"/> and, when
    /// <paramref name="settings"/> name an exporter, one OpenTelemetry MeterProvider (started with
    /// the host) exporting the Temporal SDK's meter and <paramref name="meters"/>: a Prometheus
    /// scrape endpoint at <see cref="TelemetrySettings.Prometheus"/> (GET /metrics) and/or
    /// the OTLP exporter, configured by the OpenTelemetry SDK from the OTEL_EXPORTER_OTLP_*
    /// variables of the host's configuration (the ECS stack sets OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
    /// to delta for its collector). Histograms are base-2 exponential when
    /// <see cref="TelemetrySettings.ExponentialHistograms"/>.</summary>
    public static IServiceCollection AddRunsFleetMetrics(
        this IServiceCollection services, TelemetrySettings settings, params string[] meters)
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

                if (settings.ExponentialHistograms)
                {
                    metrics.AddView(instrument => IsHistogram(instrument) ? Exponential : null);
                }
            });
        return services;
    }

    // At most 80 buckets: the collector writes one EMF value per bucket, CloudWatch takes 100 per metric.
    private static readonly Base2ExponentialBucketHistogramConfiguration Exponential = new() { MaxSize = 80 };

    private static bool IsHistogram(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.GetType().IsGenericType
        && instrument.GetType().GetGenericTypeDefinition() == typeof(System.Diagnostics.Metrics.Histogram<>);

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
