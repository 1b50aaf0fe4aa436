using System.Globalization;
using System.Text;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Renders the audit as a markdown page: a row per pool, a totals row, then notes.</summary>
internal static class PoolAuditMarkdown
{
    private const string Unknown = "unknown";
    private const string NotApplicable = "n/a";

    // A pool row without instance_type: runs-fleet's flexible pool (arch, cpu, families instead).
    private const string Flexible = "flexible";

    public static string Render(DateTimeOffset auditTime, IReadOnlyList<PoolAuditRow> rows, PoolAuditTotals totals,
        int untrackedInstances)
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
            Cells(text, Header);
            text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                Cells(
                    text,
                    Cell(row.Pool), Cell(row.InstanceType ?? Flexible), Cell(Types(row.RunningTypes)),
                    Count(row.DesiredRunning), Count(row.DesiredStopped), Count(row.Running), Count(row.Stopped),
                    Count(row.Idle), Count(row.Assigned), Percent(row.Utilization), Gib(row.StoppedVolumeGiB),
                    Money(row.IdleCostPerHour), Money(row.ComputeCost));
            }

            Cells(
                text,
                "**Total**", string.Empty, string.Empty, string.Empty, string.Empty,
                Count(totals.Running), Count(totals.Stopped), Count(totals.Idle), Count(totals.Assigned),
                Percent(totals.Utilization), Gib(rows.Sum(r => r.StoppedVolumeGiB)),
                Money(totals.IdleCostPerHour), Money(totals.ComputeCost));
        }

        var notes = rows.SelectMany(r => r.Notes.Select(n => $"{r.Pool}: {n}")).ToList();
        if (totals.UnpricedPools > 0)
        {
            notes.Add($"totals leave out the unknown costs of {totals.UnpricedPools} pool(s)");
        }

        if (untrackedInstances > 0)
        {
            notes.Add($"{untrackedInstances} instance(s) carry a runs-fleet:pool tag of a pool missing from the pools "
                + $"table");
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

    private static readonly string[] Header =
    [
        "Pool", "Instance type", "Running types", "Desired running", "Desired stopped", "Running", "Stopped", "Idle",
        "Assigned", "Utilization", "Stopped volumes (GiB)", "Idle cost ($/h)", "Compute cost ($)",
    ];

    // "| a | b |"; an empty cell renders as "| |", as the totals row always had.
    private static void Cells(StringBuilder text, params string[] cells) =>
        text.Append('|').AppendJoin(string.Empty, cells.Select(c => c.Length == 0 ? " |" : $" {c} |")).AppendLine();

    private static void Line(StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

    // A pipe inside a cell would split the table.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);

    // "2 m7g.large, 1 c7g.xlarge": the types EC2 reports for the running instances; "-" when none runs.
    private static string Types(IReadOnlyList<TypeCost>? types) =>
        types is { Count: > 0 }
            ? string.Join(", ", types.Select(t => Count(t.Running) + " " + t.InstanceType))
            : "-";

    private static string Gib(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private static string Percent(double? value) => value is { } v ? v.ToString("P1",
        CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal) : NotApplicable;

    private static string Money(decimal? value) => value is { } v ? v.ToString("0.0000",
        CultureInfo.InvariantCulture) : Unknown;
}
