using Temporalio.Client;
using Temporalio.Common.EnvConfig;

namespace RunsFleet.SqsBridge.Configuration;

/// <summary>
/// Temporal connection from the standard TEMPORAL_* settings (TEMPORAL_ADDRESS,
/// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, TEMPORAL_PROFILE / config file), as the
/// temporal CLI reads them. Nothing set means a local dev server on localhost:7233.
/// </summary>
public static class TemporalConnectionSettings
{
    public const string DefaultAddress = "localhost:7233";

    /// <summary>
    /// Loads the connect options; a failure (bad profile, unreadable TLS file, ...) becomes
    /// a problem in <paramref name="reader"/> so it is reported with the other settings.
    /// </summary>
    /// <param name="reader">Collects the problem, if any.</param>
    /// <param name="overrideVariables">Variables to use instead of the process environment (tests).</param>
    public static TemporalClientConnectOptions Load(EnvironmentSettingsReader reader, IReadOnlyDictionary<string, string>? overrideVariables = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        TemporalClientConnectOptions options;
        try
        {
            options = ClientEnvConfig.LoadClientConnectOptions(new ClientEnvConfig.ProfileLoadOptions { OverrideEnvVars = overrideVariables });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reader.AddProblem("TEMPORAL_* / TEMPORAL_PROFILE", $"cannot be loaded: {e.Message}");
            return new TemporalClientConnectOptions(DefaultAddress);
        }

        if (string.IsNullOrWhiteSpace(options.TargetHost))
        {
            options.TargetHost = DefaultAddress;
        }

        if (string.IsNullOrWhiteSpace(options.Namespace))
        {
            options.Namespace = "default";
        }

        return options;
    }
}
