using System.Globalization;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>One sweep at one size: its minimum by operation and what its worker measured.</summary>
internal sealed record SweepRun(string Sweep, int Size, string Data, IReadOnlyDictionary<string, long> Minimum, WorkerMeasurement Measured)
{
    /// <summary>Every operation either side names, minimum first.</summary>
    public IEnumerable<(string Operation, long Requests, long Minimum)> Operations =>
        Minimum.Keys.Concat(Measured.Requests.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)
            .Select(op => (op, Measured.Requests.GetValueOrDefault(op), Minimum.GetValueOrDefault(op)));

    public long TotalRequests => Measured.Requests.Values.Sum();

    public long TotalMinimum => Minimum.Values.Sum();

    /// <summary>
    /// The worst of the per-operation ratios and the total ratio. An operation the minimum does
    /// not foresee has no ratio of its own but raises the total.
    /// </summary>
    public double WorstRatio =>
        Operations.Where(o => o.Minimum > 0).Select(o => (double)o.Requests / o.Minimum)
            .Append((double)TotalRequests / Math.Max(1, TotalMinimum))
            .Max();

    public double PeakWorkingSetMb => Measured.PeakWorkingSetBytes / 1048576.0;

    public double PeakLiveHeapMb => Measured.PeakLiveHeapBytes / 1048576.0;
}

/// <summary>Prints the request and memory tables (markdown, ready for the README) and computes the result line.</summary>
internal static class SweepReport
{
    public static void PrintRequests(IReadOnlyList<SweepRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Console.WriteLine();
        Console.WriteLine("| sweep | items | operation | requests | minimum | ratio |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var (operation, requests, minimum) in run.Operations)
            {
                Console.WriteLine($"| {run.Sweep} | {run.Size} | {operation} | {requests} | {minimum} | {Ratio(requests, minimum)} |");
            }

            Console.WriteLine($"| {run.Sweep} | {run.Size} | **all** | **{run.TotalRequests}** | **{run.TotalMinimum}** | **{Ratio(run.TotalRequests, run.TotalMinimum)}** |");
        }
    }

    /// <summary>
    /// Memory per sweep, smallest against largest size; returns the worst growth of the worker's
    /// peak working set (the measure: what the worker process costs). The peak live heap
    /// beside it tells what the sweep holds from what the runtime grows on its own in a longer run
    /// (tier-1 JIT, thread pool, buffers).
    /// </summary>
    public static double PrintMemory(IReadOnlyList<SweepRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var smallest = runs.Min(r => r.Size);
        var largest = runs.Max(r => r.Size);
        Console.WriteLine();
        Console.WriteLine($"| sweep | peak working set at {smallest} / {largest} (MB) | growth | peak live heap at {smallest} / {largest} (MB) | allocated (MB) | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var worst = 0.0;
        foreach (var sweep in runs.GroupBy(r => r.Sweep, StringComparer.Ordinal))
        {
            var small = sweep.First(r => r.Size == smallest);
            var large = sweep.First(r => r.Size == largest);
            var growth = large.PeakWorkingSetMb / small.PeakWorkingSetMb;
            worst = Math.Max(worst, growth);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {sweep.Key} | {small.PeakWorkingSetMb:F1} / {large.PeakWorkingSetMb:F1} | {growth:F2} | {small.PeakLiveHeapMb:F1} / {large.PeakLiveHeapMb:F1} | {small.Measured.AllocatedBytes / 1048576.0:F0} / {large.Measured.AllocatedBytes / 1048576.0:F0} | {small.Measured.Seconds:F1} / {large.Measured.Seconds:F1} |"));
        }

        return worst;
    }

    private static string Ratio(long requests, long minimum) =>
        minimum > 0 ? ((double)requests / minimum).ToString("F2", CultureInfo.InvariantCulture)
        : requests > 0 ? "not in minimum"
        : "-";
}
