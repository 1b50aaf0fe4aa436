namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// Peak live managed memory of the worker while a sweep runs: every few milliseconds a full
/// blocking collection, then the heap size that survived it. That is what the sweep HOLDS (pages,
/// lookups, progress); a working set also counts garbage the GC has not collected yet, which grows
/// with the number of requests, not with what is kept. Sampling slows the sweep a little and
/// changes no request count.
/// </summary>
internal sealed class LiveHeapSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _peak;

    public LiveHeapSampler()
    {
        _peak = GC.GetTotalMemory(forceFullCollection: true);
        _thread = new Thread(Sample) { IsBackground = true, Name = "live-heap-sampler" };
        _thread.Start();
    }

    /// <summary>Stops sampling (after one last sample) and returns the peak in bytes.</summary>
    public long Stop()
    {
        _stop.Cancel();
        _thread.Join();
        return Interlocked.Read(ref _peak);
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            Stop();
        }

        _stop.Dispose();
    }

    private void Sample()
    {
        do
        {
            var live = GC.GetTotalMemory(forceFullCollection: true);
            if (live > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, live);
            }
        }
        while (!_stop.Token.WaitHandle.WaitOne(Interval));
    }
}
