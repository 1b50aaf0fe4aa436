using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// Passes every start on to the real <see cref="TemporalWorkflowStarter"/> and keeps what the
/// server answered, so a test can tell "started" from "already started" and see that a
/// rejected message never reached Temporal at all.
/// </summary>
public sealed class RecordingStarter : IWorkflowStarter
{
    private readonly IWorkflowStarter _inner;
    private readonly List<(WorkflowStartRequest Request, StartResult Result)> _answered = [];
    private int _attempts;

    public RecordingStarter(IWorkflowStarter inner) => _inner = inner;

    /// <summary>Every start Temporal answered, in order.</summary>
    public IReadOnlyList<(WorkflowStartRequest Request, StartResult Result)> Answered
    {
        get
        {
            lock (_answered)
            {
                return [.. _answered];
            }
        }
    }

    /// <summary>How many starts were attempted, answered or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public async Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        var result = await _inner.StartAsync(request, cancellationToken);
        lock (_answered)
        {
            _answered.Add((request, result));
        }

        return result;
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => _inner.IsReachableAsync(cancellationToken);
}
