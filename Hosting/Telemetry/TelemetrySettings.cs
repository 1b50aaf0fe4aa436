using System.Globalization;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>Where a host's metrics go: the Temporal SDK's (through <see cref="TemporalTelemetry"/>) and
/// our own meters. A Prometheus endpoint when <see cref="PrometheusBindVariable"/> is set, OTLP
/// when the OpenTelemetry SDK's standard <see cref="OtlpEndpointVariable"/> is set (the SDK then
/// reads every OTEL_EXPORTER_OTLP_* variable itself: protocol, headers, timeout), both, or
/// neither (no exporter, nothing listens).</summary>
/// <param name="ServiceName">service.name of the exported resource (runs-fleet-worker, runs-fleet-sqs-bridge).</param>
/// <param name="Prometheus">Where the scrape endpoint listens, or null.</param>
/// <param name="Otlp">True when the OTLP exporter is on.</param>
public sealed record TelemetrySettings(string ServiceName, PrometheusEndpoint? Prometheus, bool Otlp)
{
    public const string PrometheusBindVariable = "RUNS_FLEET_PROMETHEUS_BIND";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>True when any exporter is configured.</summary>
    public bool Exports => Prometheus is not null || Otlp;

    /// <summary>Histograms as base-2 exponential ones: over OTLP alone, because the collector turns only those
    /// into CloudWatch values with percentiles (explicit buckets become min/max/sum/count, and the
    /// bridge's p99 alarm needs percentiles); not with Prometheus on, whose text format has no
    /// exponential histograms (one meter provider serves both, so Prometheus keeps explicit buckets).</summary>
    public bool ExponentialHistograms => Otlp && Prometheus is null;

    /// <summary>Reads both variables; a malformed value becomes a problem in <paramref name="reader"/>
    /// (reported with every other setting at start-up) and turns that exporter off.</summary>
    public static TelemetrySettings Read(EnvironmentSettingsReader reader, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        PrometheusEndpoint? prometheus = null;
        if (reader.Optional(PrometheusBindVariable) is { } bind)
        {
            prometheus = PrometheusEndpoint.TryParse(bind);
            if (prometheus is null)
            {
                reader.AddProblem(PrometheusBindVariable,
                    $"must be host:port with a port from 1 to 65535 (e.g. 0.0.0.0:9464 or 127.0.0.1:9464), got "
                    + $"'{bind}'");
            }
        }

        return new TelemetrySettings(serviceName, prometheus, reader.OptionalHttpUrl(OtlpEndpointVariable) is not null);
    }
}

/// <summary>The Prometheus scrape endpoint: GET http://{Host}:{Port}/metrics.</summary>
/// <param name="Host">A name or address; 0.0.0.0, [::], * or + mean every interface.</param>
/// <param name="Port">1-65535.</param>
public sealed record PrometheusEndpoint(string Host, int Port)
{
    /// <summary>Listens on every interface, whatever Host header a scraper sends (a container scraped from
    /// outside); a named host or address only answers requests for that name.</summary>
    public bool AnyAddress => Host is "0.0.0.0" or "[::]" or "*" or "+";

    /// <summary>The endpoint in <paramref name="bind"/> (host:port), or null when it is not one.</summary>
    public static PrometheusEndpoint? TryParse(string bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        if (!TemporalConnectionSettings.IsHostAndPort(bind) && !bind.StartsWith("*:", StringComparison.Ordinal)
            && !bind.StartsWith("+:", StringComparison.Ordinal))
        {
            return null;
        }

        var colon = bind.LastIndexOf(':');
        return int.TryParse(bind.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535
            ? new PrometheusEndpoint(bind[..colon], port)
            : null;
    }
}
