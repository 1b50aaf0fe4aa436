using System.Globalization;
using System.Runtime.InteropServices;
using RunsFleet.Benchmarks;
using RunsFleet.Benchmarks.Bridge;
using RunsFleet.Benchmarks.Sweeps;

// Figures are printed with '.' decimals whatever the machine's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Benchmarks by name; a new one is one more entry.
var benchmarks = new Dictionary<string, BenchmarkEntry>(StringComparer.Ordinal)
{
    [BridgeBenchmark.Name] = new(BridgeBenchmark.Description, BridgeBenchmark.RunAsync),
    [SweepsBenchmark.Name] = new(SweepsBenchmark.Description, SweepsBenchmark.RunAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    await Console.Error.WriteLineAsync(args.Length == 0 ? "Name a benchmark." : $"Unknown benchmark '{args[0]}'.");
    await Console.Error.WriteLineAsync("usage: dotnet run -c Release --project Benchmarks -- <name> [options]");
    foreach (var (name, entry) in benchmarks)
    {
        await Console.Error.WriteLineAsync($"  {name,-10} {entry.Description}");
    }

    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the benchmark unwind so its emulators are stopped.
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    return await benchmark.Run(args[1..], stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Interrupted.");
    return 130;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"BENCHMARK FAILED: {e}");
    return 1;
}
