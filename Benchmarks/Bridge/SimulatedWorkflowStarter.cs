using System.Collections.Concurrent;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// Stands in for Temporal: every start takes <see cref="Latency"/> (a typical start round trip)
/// and then answers Started, or AlreadyStarted for an id it has seen, as the server would.
/// Records the distinct workflow ids so the benchmark can prove nothing was lost or doubled.
/// </summary>
internal sealed class SimulatedWorkflowStarter(TimeSpan latency, int expected) : IWorkflowStarter
{
    private readonly ConcurrentDictionary<string, byte> _started = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _calls;

    public TimeSpan Latency => latency;

    /// <summary>Completes when <c>expected</c> distinct workflows have been started.</summary>
    public Task AllStarted => _allStarted.Task;

    public int DistinctStarted => _started.Count;

    public long Calls => Interlocked.Read(ref _calls);

    public async Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await Task.Delay(latency, cancellationToken);
        Interlocked.Increment(ref _calls);
        if (!_started.TryAdd(request.WorkflowId, 0))
        {
            return new StartResult(StartStatus.AlreadyStarted, request.WorkflowId, null);
        }

        if (_started.Count >= expected)
        {
            _allStarted.TrySetResult();
        }

        return new StartResult(StartStatus.Started, request.WorkflowId, null);
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
