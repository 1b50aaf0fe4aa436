namespace RunsFleet.Worker.Configuration;

/// <summary>
/// Start-up configuration is unusable; the message names every problem by environment
/// variable. The process exits with <see cref="ExitCodes.InvalidConfiguration"/>.
/// </summary>
public sealed class WorkerSettingsException : Exception
{
    public WorkerSettingsException(IReadOnlyList<string> problems)
        : base(Render(problems))
    {
        this.Problems = problems;
    }

    public WorkerSettingsException()
        : this([])
    {
    }

    public WorkerSettingsException(string message)
        : this([message])
    {
    }

    public WorkerSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        this.Problems = [message];
    }

    /// <summary>One line per problem, each starting with its environment variable.</summary>
    public IReadOnlyList<string> Problems { get; } = [];

    private static string Render(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"RunsFleet worker: invalid configuration ({problems.Count} {noun}):"
            + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
    }
}
