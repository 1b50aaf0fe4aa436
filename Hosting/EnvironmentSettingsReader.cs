using System.Collections;
using System.Globalization;

namespace RunsFleet.Hosting;

/// <summary>Reads settings from environment variables and COLLECTS every problem (by variable name)
/// instead of stopping at the first, so an operator fixes a broken configuration in one
/// round; <see cref="ThrowIfInvalid"/> then reports them together. Both hosts (the Worker
/// and the SqsBridge) read their variables with it.</summary>
public sealed class EnvironmentSettingsReader
{
    private readonly List<string> _problems = [];

    /// <param name="variables">The variables to read: a snapshot of the process environment, or a dictionary in
    /// tests.</param>
    public EnvironmentSettingsReader(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        Variables = variables;
    }

    /// <summary>Reader over a snapshot of the process environment.</summary>
    public static EnvironmentSettingsReader FromProcess() => new(ProcessEnvironment());

    /// <summary>A snapshot of the process environment.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    /// <summary>The variables read from.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; }

    /// <summary>Problems found so far, one line each, each starting with its variable.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem found by the caller's own checks (cross-field rules); the same line once.</summary>
    public void AddProblem(string variable, string problem)
    {
        var line = $"{variable} {problem}";
        if (!_problems.Contains(line, StringComparer.Ordinal))
        {
            _problems.Add(line);
        }
    }

    /// <summary>Reads a setting that has other names: <paramref name="variable"/> when set, else the first set
    /// alias. Two set names that disagree (by <paramref name="same"/>, ordinal text by default) are a
    /// conflict naming both, never a silent choice; equal values are fine. Adds no problem itself.</summary>
    public AliasedValue OptionalAliased(
        string variable, IReadOnlyList<VariableAlias> aliases, Func<string, string, bool>? same = null)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        same ??= string.Equals;
        var set = new List<(string Name, string Text, string Raw)>();
        if (Optional(variable) is { } own)
        {
            set.Add((variable, own, own));
        }

        foreach (var alias in aliases)
        {
            if (alias.Read(this) is { } text)
            {
                set.Add((alias.Name, text, Optional(alias.Name)!));
            }
        }

        if (set.Count == 0)
        {
            return new AliasedValue(null, null, null);
        }

        var first = set[0];
        var other = set.Skip(1).FirstOrDefault(s => !same(first.Text, s.Text));
        var conflict = other.Name is null
            ? null
            : $"is '{first.Raw}'{Meaning(first)} but {other.Name} (read as the same setting) is "
                + $"'{other.Raw}'{Meaning(other)}: "
                + "set one of them, or both to the same value";
        return new AliasedValue(first.Text, first.Name, conflict);

        static string Meaning((string Name, string Text, string Raw) value) =>
            value.Text == value.Raw ? string.Empty : $" (meaning {value.Text})";
    }

    /// <summary>Trimmed value, or null when unset or blank.</summary>
    public string? Optional(string variable)
    {
        var value = Variables.TryGetValue(variable, out var raw) ? raw?.Trim() : null;
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

    /// <summary>An absolute http(s) URL (an SQS queue URL), or null when unset; a problem when set to anything
    /// else.</summary>
    public string? OptionalHttpUrl(string variable)
    {
        var value = Optional(variable);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps
            && uri.Scheme != Uri.UriSchemeHttp))
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

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min
            || parsed > max)
        {
            AddProblem(variable, $"must be a whole number from {min} to {max}, got '{value}'");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>true/false (also 1/0, yes/no), or null when unset.</summary>
    public bool? OptionalBoolean(string variable)
    {
        var text = Optional(variable);
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "TRUE" or "1" or "YES":
                return true;
            case "FALSE" or "0" or "NO":
                return false;
            default:
                AddProblem(variable, $"must be true or false, got '{text}'");
                return null;
        }
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
