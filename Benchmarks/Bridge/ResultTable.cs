using System.Globalization;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>The bridge benchmark's table and its one machine-readable last line.</summary>
internal static class ResultTable
{
    // Issue 7: the bridge within 80% of the raw loop, and at most 1.1x the 0.2 requests a
    // message that receiving 10 and deleting 10 per batch costs.
    private const double RatioGoal = 0.8;
    private const double RequestsPerMessageGoal = 0.22;

    public static void Print(IReadOnlyList<ResultRow> rows, TextWriter output)
    {
        var std = rows.Single(r => r.Kind == "standard");
        var fifo = rows.Single(r => r.Kind == "fifo");
        var requestsPerMessage = rows.Max(r => r.Bridge.RequestsPerMessage);

        output.WriteLine();
        output.WriteLine("| kind     | raw msgs/s | bridge msgs/s | ratio | bridge SQS requests/msg |");
        output.WriteLine("|----------|-----------:|--------------:|------:|------------------------:|");
        foreach (var row in rows)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {row.Kind,-8} | {row.Raw.MessagesPerSecond,10:0} | {row.Bridge.MessagesPerSecond,13:0} | {row.Ratio,5:0.00} | {row.Bridge.RequestsPerMessage,23:0.00} |"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"goals: ratio >= {RatioGoal:0.00} ({Verdict(Math.Min(std.Ratio, fifo.Ratio) >= RatioGoal)}), requests/msg <= {RequestsPerMessageGoal:0.00} ({Verdict(requestsPerMessage <= RequestsPerMessageGoal)})"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"bridge: ratio_std={std.Ratio:0.00} ratio_fifo={fifo.Ratio:0.00} requests_per_msg={requestsPerMessage:0.00}"));
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";
}
