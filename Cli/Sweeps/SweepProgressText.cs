using System.Globalization;
using System.Text;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Cli.Sweeps;

/// <summary>A sweep's progress view as one line of text, the same in the live display and the plain-text log.</summary>
internal static class SweepProgressText
{
    /// <summary>e.g. "acting: pages 3, examined 1200, acted on 4/10, skipped 7 (young 5, protected 2), errors
    /// 0".</summary>
    public static string Line(SweepProgressView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{view.Phase}{(view.DryRun ? " (dry run)" : string.Empty)}: ");
        if (view.Runs > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"run {view.Runs}, ");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"pages {view.PagesDone}, examined {view.Examined}, acted on {view.ActedOn}");
        if (view.ActTarget is { } target)
        {
            text.Append(CultureInfo.InvariantCulture, $"/{target}");
        }

        var skipped = view.SkippedByReason.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        text.Append(CultureInfo.InvariantCulture, $", skipped {skipped.Sum(r => r.Value)}");
        if (skipped.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", skipped.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Key} {r.Value}"))).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture, $", errors {view.Errors}");
        return text.ToString();
    }
}
