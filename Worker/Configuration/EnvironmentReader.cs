using System.Globalization;

namespace RunsFleet.Worker.Configuration;

/// <summary>
/// Reads environment variables and COLLECTS every problem (by variable name) instead of
/// stopping at the first, so an operator fixes a broken configuration in one round.
/// </summary>
public sealed class EnvironmentReader
{
    private readonly IReadOnlyDictionary<string, string?> variables;
    private readonly List<string> problems = [];

    public EnvironmentReader(IReadOnlyDictionary<string, string?> variables)
    {
        this.variables = variables ?? throw new ArgumentNullException(nameof(variables));
    }

    /// <summary>Problems found so far, one line each, each starting with its variable.</summary>
    public IReadOnlyList<string> Problems => this.problems;

    /// <summary>The variables read from.</summary>
    public IReadOnlyDictionary<string, string?> Variables => this.variables;

    /// <summary>Records a problem with <paramref name="variable"/>.</summary>
    public void AddProblem(string variable, string problem) => this.problems.Add($"{variable} {problem}");

    /// <summary>Trimmed value, or null when unset or blank.</summary>
    public string? Optional(string variable)
    {
        var value = this.variables.TryGetValue(variable, out var raw) ? raw?.Trim() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The value, or <paramref name="defaultValue"/> when unset.</summary>
    public string String(string variable, string defaultValue) => this.Optional(variable) ?? defaultValue;

    /// <summary>An integer in [min, max], or the default when unset.</summary>
    public int Integer(string variable, int defaultValue, int min, int max)
    {
        var text = this.Optional(variable);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            this.AddProblem(variable, $"must be a whole number from {min} to {max}, got '{text}'");
            return defaultValue;
        }

        return value;
    }

    /// <summary>true/false (also 1/0, yes/no), or null when unset.</summary>
    public bool? OptionalBoolean(string variable)
    {
        var text = this.Optional(variable);
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "TRUE" or "1" or "YES":
                return true;
            case "FALSE" or "0" or "NO":
                return false;
            default:
                this.AddProblem(variable, $"must be true or false, got '{text}'");
                return null;
        }
    }

    /// <summary>An absolute http(s) URL, or null when unset.</summary>
    public string? OptionalHttpUrl(string variable)
    {
        var text = this.Optional(variable);
        if (text is not null
            && (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            this.AddProblem(variable, $"must be an absolute http(s) URL (an SQS queue URL), got '{text}'");
            return null;
        }

        return text;
    }
}
