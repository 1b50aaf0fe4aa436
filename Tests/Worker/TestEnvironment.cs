using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Registration;

namespace RunsFleet.Tests.Worker;

/// <summary>Environments for settings tests: only what a test sets, never the machine's own variables.</summary>
internal static class TestEnvironment
{
    /// <summary>An environment with a health file in an existing directory plus <paramref name="variables"/>.</summary>
    public static Dictionary<string, string?> With(params (string Name, string? Value)[] variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // No temporal.toml of the machine running the tests may leak in.
            ["TEMPORAL_CONFIG_FILE"] = Path.Combine(Path.GetTempPath(), "runs-fleet-tests-no-such-temporal.toml"),
        };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static WorkerSettings Load(params (string Name, string? Value)[] variables) =>
        WorkerSettingsLoader.Load(With(variables), WorkerRegistration.OptionsBindings);
}
