using System.Globalization;
using Amazon.S3.Model;
using RunsFleet.Benchmarks.Aws;
using RunsFleet.Benchmarks.Sweeps.Scenarios;
using RunsFleet.Tests.Support;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// The five sweeps' activities at fleet scale: seed each sweep's data (dynalite, fauxqs S3 and
/// the test fakes for EC2 and SSM), drive its activities in a worker process as its workflow
/// would, count its AWS requests by operation against the minimum for the data, and compare the
/// worker's peak working set (and live heap) between the smallest and the largest size.
/// </summary>
internal static class SweepsBenchmark
{
    public const string Name = "sweeps";

    public const string Description = "the five sweeps' activities at 1k and 10k items: AWS requests vs minimum, peak memory";

    private const string SizesVariable = "BENCH_SWEEP_SIZES";
    private const string Bucket = "sweeps-benchmark";

    /// <summary>The sweeps' "now": fixed so every run (and the tests at 1k) seeds and judges the same data.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Options: --sizes 1000,10000 (or BENCH_SWEEP_SIZES); the worker flag is internal.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 2 && args[0] == SweepWorker.Flag)
        {
            return await SweepWorker.RunAsync(args[1]);
        }

        var sizes = Sizes(args);
        await using var dynalite = await EmulatorProcess.StartAsync("dynalite", EmulatorLaunch.Dynalite, cancellationToken: cancellationToken);
        await using var fauxqs = await EmulatorProcess.StartAsync("fauxqs", EmulatorLaunch.Fauxqs, cancellationToken: cancellationToken);
        using (var s3 = LoopbackClients.S3(fauxqs.ServiceUrl))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
        }

        Console.WriteLine($"dynalite on {dynalite.ServiceUrl}, fauxqs (S3) on {fauxqs.ServiceUrl}, EC2 and SSM fakes per sweep; sizes {string.Join(", ", sizes)}; {Environment.ProcessorCount} cores");
        using var seed = new SeedContext(dynalite.ServiceUrl, fauxqs.ServiceUrl, Bucket, Now);
        var runs = new List<SweepRun>();
        var failures = new List<string>();
        foreach (var sweep in SweepCatalog.All)
        {
            foreach (var size in sizes)
            {
                var seeded = await sweep.SeedAsync(seed, size, cancellationToken);
                WorkerMeasurement measured;
                await using (seeded.Fakes)
                {
                    measured = await SweepWorker.MeasureAsync(seeded.Target, cancellationToken);
                }

                var run = new SweepRun(sweep.Name, size, seeded.Data, seeded.Minimum, measured);
                runs.Add(run);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{sweep.Name} at {size}: {seeded.Data}; {measured.Outcome} {seeded.OutcomeName}; {run.TotalRequests} requests (minimum {run.TotalMinimum}); peak working set {run.PeakWorkingSetMb:F1} MB, live heap {run.PeakLiveHeapMb:F1} MB; {measured.Seconds:F1} s"));
                if (measured.Outcome != seeded.ExpectedOutcome)
                {
                    failures.Add($"{sweep.Name} at {size}: {measured.Outcome} {seeded.OutcomeName}, expected {seeded.ExpectedOutcome}");
                }
            }
        }

        SweepReport.PrintRequests(runs);
        var memory = SweepReport.PrintMemory(runs);
        if (failures.Count > 0)
        {
            // A sweep that did not do its job measured nothing worth a result line.
            await Console.Error.WriteLineAsync("FAILED:\n  " + string.Join("\n  ", failures));
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"sweeps: worst_request_ratio={runs.Max(r => r.WorstRatio):F2} memory_10k_over_1k={memory:F2}"));
        return 0;
    }

    // Two or more distinct sizes, smallest first; memory compares the smallest with the largest.
    private static List<int> Sizes(IReadOnlyList<string> args)
    {
        var index = args.ToList().IndexOf("--sizes");
        var text = index >= 0 && index + 1 < args.Count ? args[index + 1] : Environment.GetEnvironmentVariable(SizesVariable);
        if (index < 0 && args.Count > 0)
        {
            throw new ArgumentException($"Unknown option '{args[0]}'; the sweeps benchmark takes --sizes 1000,10000.");
        }

        var sizes = (string.IsNullOrWhiteSpace(text) ? "1000,10000" : text)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 100 and <= 1_000_000
                ? n
                : throw new ArgumentException($"Size '{s}' must be a whole number from 100 to 1000000."))
            .Distinct()
            .Order()
            .ToList();
        return sizes.Count >= 2 ? sizes : throw new ArgumentException("Give at least two sizes (memory compares the smallest with the largest).");
    }
}
