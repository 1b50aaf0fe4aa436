using RunsFleet.Hosting;
using RunsFleet.Cli.Common;
using Spectre.Console;

namespace RunsFleet.Cli.Sweeps;

/// <summary>What a finished sweep run came to, in the CLI's terms: the run's status, its result's summary
/// and key figures, and the problems that make it need attention (exit code 7).</summary>
/// <param name="Status">Completed, Failed, Terminated, TimedOut, Canceled (or Running for `sweep last`).</param>
/// <param name="Summary">One line: the result's summary, or the failure's message.</param>
/// <param name="Figures">Key figures of the result, in reading order (name, value).</param>
/// <param name="Problems">Why the result needs attention (cap reached, failed actions, items not judged); empty when
/// clean.</param>
/// <param name="Result">The sweep's result record as the workflow returned it (null unless completed).</param>
internal sealed record SweepOutcome(
    string Status,
    string Summary,
    IReadOnlyList<KeyValuePair<string, string>> Figures,
    IReadOnlyList<string> Problems,
    object? Result)
{
    /// <summary>True when the run ended without completing (failed, terminated, timed out, canceled).</summary>
    public bool Failed => Status is not ("Completed" or "Running");

    /// <summary>0 clean (or still running), 7 completed with problems, 1 failed.</summary>
    public int ExitCode => Failed ? ExitCodes.Failure
        : Problems.Count > 0 ? ExitCodes.CompletedWithProblems
        : ExitCodes.Success;

    /// <summary>An outcome of a run that did not complete.</summary>
    public static SweepOutcome NotCompleted(string status, string message) => new(status, message, [], [], null);

    /// <summary>Renders the outcome: a table of figures and the problems (text and rich).</summary>
    public void Write(CliOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Line($"{Status}: {Summary}");
        if (Figures.Count > 0)
        {
            var table = output.Table("figure", "value");
            foreach (var (name, value) in Figures)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            output.Render(table);
        }

        foreach (var problem in Problems)
        {
            output.Line($"problem: {problem}");
        }
    }
}
