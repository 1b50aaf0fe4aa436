using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>The one <see cref="TemporalRuntime"/> of a process, whose metrics go to the
/// <see cref="TemporalMetricsAdapter.MeterName"/> meter. Every Temporal client the hosts build
/// (<see cref="HostingServiceCollectionExtensions.AddTemporalClient"/>), and so the Worker's
/// Temporal worker on it, runs on this runtime. One per process because a runtime is a core
/// thread pool of its own; the meter is process-wide like the runtime, and a MeterProvider that
/// is not listening (no exporter configured) costs the recorded values nothing.</summary>
public static class TemporalTelemetry
{
    private static readonly Lazy<TemporalRuntime> Shared = new(() => CreateRuntime(
        new Meter(TemporalMetricsAdapter.MeterName, typeof(TemporalRuntime).Assembly.GetName().Version?.ToString())));

    /// <summary>The process's runtime (created on first use).</summary>
    public static TemporalRuntime Runtime => Shared.Value;

    /// <summary>A runtime reporting its metrics on <paramref name="meter"/>.</summary>
    internal static TemporalRuntime CreateRuntime(Meter meter) =>
        new(new TemporalRuntimeOptions(new TelemetryOptions
        {
            Metrics = new MetricsOptions
            {
                CustomMetricMeter = new TemporalMetricsAdapter(meter),
                CustomMetricMeterOptions = TemporalMetricsAdapter.Options,
            },
        }));
}
