namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// Reads the pipe tables of a Markdown document, as far as the repository's docs use them: one row per
/// line, no escaped pipes, cells trimmed. Enough for tests that hold a doc to the code.
/// </summary>
public static class MarkdownTable
{
    /// <summary>
    /// The rows of the first table after the line <paramref name="heading"/> and before the next heading
    /// (fenced code ignored), each keyed by the header's column names. Throws when there is none.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> After(string document, string heading)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = document.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimEnd() == heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"no heading '{heading}'");
        }

        var inFence = false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && line.StartsWith('#'))
            {
                break;
            }
            else if (!inFence && line.StartsWith('|'))
            {
                return Rows(lines, i);
            }
        }

        throw new InvalidOperationException($"no table under '{heading}'");
    }

    /// <summary>The text inside the first pair of backticks of <paramref name="cell"/>, or the cell itself.</summary>
    public static string Code(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var open = cell.IndexOf('`', StringComparison.Ordinal);
        var close = open < 0 ? -1 : cell.IndexOf('`', open + 1);
        return close < 0 ? cell : cell[(open + 1)..close];
    }

    private static List<IReadOnlyDictionary<string, string>> Rows(string[] lines, int headerIndex)
    {
        var header = Cells(lines[headerIndex]);
        if (headerIndex + 1 >= lines.Length || !Cells(lines[headerIndex + 1]).All(IsSeparator))
        {
            throw new InvalidOperationException($"the table at line {headerIndex + 1} has no separator row");
        }

        var rows = new List<IReadOnlyDictionary<string, string>>();
        for (var i = headerIndex + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            if (cells.Count != header.Count)
            {
                throw new InvalidOperationException($"line {i + 1} has {cells.Count} cells, the header {header.Count}");
            }

            rows.Add(header.Zip(cells).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal));
        }

        return rows;
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToList();

    private static bool IsSeparator(string cell) => cell.Length > 0 && cell.All(c => c is '-' or ':');
}
