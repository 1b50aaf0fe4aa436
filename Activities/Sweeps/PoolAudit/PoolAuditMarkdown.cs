using System.Globalization;
using System.Text;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Renders the audit as a markdown page: a row per pool, a totals row, then notes.</summary>
internal static class PoolAuditMarkdown
{
    private const string Unknown = "unknown";
    private const string NotApplicable = "n/a";

    public static string Render(DateTimeOffset auditTime, IReadOnlyList<PoolAuditRow> rows, PoolAuditTotals totals, int untrackedInstances)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(totals);
        var text = new StringBuilder();
        Line(text, $"# Pool audit {auditTime.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        if (rows.Count == 0)
        {
            text.AppendLine("No pools are defined in the pools table.");
        }
        else
        {
            text.AppendLine("| Pool | Instance type | Desired running | Desired stopped | Running | Stopped | Idle | Assigned | Utilization | Idle cost ($/h) | Compute cost ($) |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                Line(text, $"| {Cell(row.Pool)} | {Cell(row.InstanceType ?? Unknown)} | {Count(row.DesiredRunning)} | {Count(row.DesiredStopped)} | {row.Running} | {row.Stopped} | {row.Idle} | {row.Assigned} | {Percent(row.Utilization)} | {Money(row.IdleCostPerHour)} | {Money(row.ComputeCost)} |");
            }

            Line(text, $"| **Total** | | | | {totals.Running} | {totals.Stopped} | {totals.Idle} | {totals.Assigned} | {Percent(totals.Utilization)} | {Money(totals.IdleCostPerHour)} | {Money(totals.ComputeCost)} |");
        }

        var notes = rows.SelectMany(r => r.Notes.Select(n => $"{r.Pool}: {n}")).ToList();
        if (totals.UnpricedPools > 0)
        {
            notes.Add($"totals leave out the unknown costs of {totals.UnpricedPools} pool(s)");
        }

        if (untrackedInstances > 0)
        {
            notes.Add($"{untrackedInstances} instance(s) carry a runs-fleet:pool tag of a pool missing from the pools table");
        }

        if (notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes:");
            foreach (var note in notes)
            {
                text.Append("- ").AppendLine(Cell(note));
            }
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

    // A pipe inside a cell would split the table.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal) : NotApplicable;

    private static string Money(decimal? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : Unknown;
}
