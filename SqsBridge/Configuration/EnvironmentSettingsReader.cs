using System.Globalization;

namespace RunsFleet.SqsBridge.Configuration;

/// <summary>
/// Reads settings from environment variables and COLLECTS every problem instead of
/// stopping at the first one; <see cref="ThrowIfInvalid"/> then reports them together.
/// Reusable by any host of this system (the Worker reads its own variables with it).
/// </summary>
public sealed class EnvironmentSettingsReader
{
    private readonly Func<string, string?> _lookup;
    private readonly List<string> _problems = [];

    /// <param name="lookup">Variable lookup; <see cref="Environment.GetEnvironmentVariable(string)"/> in production, a dictionary in tests.</param>
    public EnvironmentSettingsReader(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
    }

    /// <summary>Reader over the process environment.</summary>
    public static EnvironmentSettingsReader FromProcess() => new(Environment.GetEnvironmentVariable);

    /// <summary>Reader over a fixed set of variables (tests, dev mode).</summary>
    public static EnvironmentSettingsReader FromDictionary(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new(name => variables.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>Problems found so far.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem found by the caller's own checks (cross-field rules).</summary>
    public void AddProblem(string variable, string problem) => _problems.Add($"{variable} {problem}");

    /// <summary>Trimmed value, or null when unset or blank.</summary>
    public string? Optional(string variable)
    {
        var value = _lookup(variable)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Trimmed value; a problem when unset or blank.</summary>
    public string? Required(string variable, string purpose)
    {
        var value = Optional(variable);
        if (value is null)
        {
            AddProblem(variable, $"is required ({purpose}) but is not set");
        }

        return value;
    }

    /// <summary>The value or a default when unset.</summary>
    public string OptionalOrDefault(string variable, string defaultValue) => Optional(variable) ?? defaultValue;

    /// <summary>An absolute http(s) URL; a problem when set to anything else.</summary>
    public string? OptionalHttpUrl(string variable)
    {
        var value = Optional(variable);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            AddProblem(variable, $"must be an absolute http(s) URL, got '{value}'");
            return null;
        }

        return value;
    }

    /// <summary>A required absolute http(s) URL.</summary>
    public string? RequiredHttpUrl(string variable, string purpose) =>
        Required(variable, purpose) is null ? null : OptionalHttpUrl(variable);

    /// <summary>An integer in [min, max], or the default when unset.</summary>
    public int Int(string variable, int defaultValue, int min, int max)
    {
        var value = Optional(variable);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            AddProblem(variable, $"must be a whole number from {min} to {max}, got '{value}'");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>Throws one <see cref="SettingsException"/> naming every problem, if any.</summary>
    public void ThrowIfInvalid(string component)
    {
        if (_problems.Count > 0)
        {
            throw new SettingsException(component, [.. _problems]);
        }
    }
}
