using System.Diagnostics;
using System.Text.Json;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// What one worker run measured: requests by "Service Operation", the sweep's outcome, the peak
/// live managed heap (<see cref="LiveHeapSampler"/>), the process's peak working set, the bytes
/// allocated and the time.
/// </summary>
internal sealed record WorkerMeasurement(
    Dictionary<string, long> Requests,
    long Outcome,
    long PeakLiveHeapBytes,
    long PeakWorkingSetBytes,
    long AllocatedBytes,
    double Seconds);

/// <summary>
/// Each sweep and size runs in a worker process of its own (this program with <see cref="Flag"/>),
/// holding only what a Temporal worker would hold: the activities, their AWS clients and the
/// counters. Its memory is therefore the sweep's alone, from a fresh process, with the seeded
/// data (in dynalite, fauxqs and the fakes of the benchmark process) outside it.
/// </summary>
internal static class SweepWorker
{
    /// <summary>First argument after the benchmark name that makes this process a worker.</summary>
    public const string Flag = "--worker";

    private const string ResultPrefix = "sweep-result ";
    private const int KeptErrorChars = 4000;

    /// <summary>Worker side: drives the sweep of <paramref name="targetJson"/> and prints its measurement.</summary>
    public static async Task<int> RunAsync(string targetJson)
    {
        var target = JsonSerializer.Deserialize<SweepTarget>(targetJson)
            ?? throw new ArgumentException("The worker needs a sweep target as JSON.", nameof(targetJson));
        var sweep = SweepCatalog.Named(target.Sweep);
        using var clients = new SweepClients(target);
        using var sampler = new LiveHeapSampler();
        var clock = Stopwatch.StartNew();
        var outcome = await sweep.RunAsync(clients, target);
        clock.Stop();
        var peakLiveHeap = sampler.Stop();

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var measurement = new WorkerMeasurement(
            clients.Requests(), outcome, peakLiveHeap, self.PeakWorkingSet64, GC.GetTotalAllocatedBytes(precise: true), clock.Elapsed.TotalSeconds);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(measurement));
        return 0;
    }

    /// <summary>Benchmark side: runs a worker for <paramref name="target"/> and returns its measurement.</summary>
    public static async Task<WorkerMeasurement> MeasureAsync(SweepTarget target, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Under `dotnet RunsFleet.Benchmarks.dll` the host needs the assembly again.
        if (string.Equals(Path.GetFileNameWithoutExtension(startInfo.FileName), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            startInfo.ArgumentList.Add(typeof(SweepWorker).Assembly.Location);
        }

        foreach (var argument in new[] { SweepsBenchmark.Name, Flag, JsonSerializer.Serialize(target) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var worker = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start a worker process ({startInfo.FileName}).");
        try
        {
            var output = worker.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = worker.StandardError.ReadToEndAsync(cancellationToken);
            await worker.WaitForExitAsync(cancellationToken);
            var result = (await output).Split('\n').LastOrDefault(line => line.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (worker.ExitCode != 0 || result is null)
            {
                var stderr = await errors;
                throw new InvalidOperationException(
                    $"The {target.Sweep} worker failed (exit {worker.ExitCode}):\n{stderr[Math.Max(0, stderr.Length - KeptErrorChars)..]}");
            }

            return JsonSerializer.Deserialize<WorkerMeasurement>(result[ResultPrefix.Length..])
                ?? throw new InvalidOperationException($"The {target.Sweep} worker printed no measurement.");
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }
        }
    }
}
