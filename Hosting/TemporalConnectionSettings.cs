using System.Text.RegularExpressions;
using Temporalio.Client;
using Temporalio.Common.EnvConfig;

namespace RunsFleet.Hosting;

/// <summary>Temporal connection from the standard TEMPORAL_* settings (TEMPORAL_ADDRESS,
/// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, TEMPORAL_PROFILE / config file) through the
/// SDK's own loader, as the temporal CLI reads them. Nothing set means a local dev server
/// on localhost:7233, namespace default.</summary>
public static partial class TemporalConnectionSettings
{
    public const string DefaultAddress = "localhost:7233";
    public const string DefaultNamespace = "default";
    public const string TlsVariable = "TEMPORAL_TLS";

    /// <summary>The documented TEMPORAL_TLS values (any case). The SDK reads false and 0 as off and every other
    /// value as on, "no" and "" too, so anything else is refused rather than silently meaning TLS.</summary>
    public static IReadOnlyList<string> TlsValues { get; } = ["true", "false", "1", "0"];

    /// <summary>Loads the connect options from the reader's variables; a failure (bad profile,
    /// unreadable TLS file, malformed address) becomes a problem in <paramref name="reader"/>
    /// so it is reported with the other settings.</summary>
    public static TemporalClientConnectOptions Load(EnvironmentSettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.Variables.GetValueOrDefault(TlsVariable) is { } tls
            && !TlsValues.Contains(tls, StringComparer.OrdinalIgnoreCase))
        {
            reader.AddProblem(TlsVariable, $"must be {string.Join(", ", TlsValues)} (any case), got '{tls}'");
        }

        TemporalClientConnectOptions options;
        try
        {
            options = ClientEnvConfig.LoadClientConnectOptions(new ClientEnvConfig.ProfileLoadOptions
            {
                OverrideEnvVars = reader.Variables
                    .Where(v => v.Value is not null)
                    .ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal),
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reader.AddProblem("TEMPORAL_* / TEMPORAL_PROFILE", $"cannot be loaded: {e.Message}");
            return new TemporalClientConnectOptions(DefaultAddress) { Namespace = DefaultNamespace };
        }

        if (string.IsNullOrWhiteSpace(options.TargetHost))
        {
            options.TargetHost = DefaultAddress;
        }
        else if (!HostAndPort().IsMatch(options.TargetHost))
        {
            reader.AddProblem("TEMPORAL_ADDRESS", $"must be host:port, got '{options.TargetHost}'");
        }

        if (string.IsNullOrWhiteSpace(options.Namespace))
        {
            options.Namespace = DefaultNamespace;
        }

        return options;
    }

    /// <summary>host:port, the host a name, an IPv4 address or a bracketed IPv6 address (shared with the metrics bind
    /// address).</summary>
    internal static bool IsHostAndPort(string value) => HostAndPort().IsMatch(value);

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):\d{1,5}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();
}
