namespace RunsFleet.Hosting;

/// <summary>Start-up configuration is unusable. The message lists every problem at once (by
/// environment variable name) so an operator fixes them in one round, not one per restart.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string component, IReadOnlyList<string> problems)
        : base(Render(component, problems))
    {
        Component = component;
        Problems = problems;
    }

    /// <summary>What was being configured (e.g. "RunsFleet SqsBridge").</summary>
    public string Component { get; }

    /// <summary>One line per problem, each naming its environment variable.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Render(string component, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"{component}: invalid configuration ({problems.Count} {noun}):"
            + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
    }
}
