using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.Tests.Live;

/// <summary>
/// Passes every start on to the real <see cref="TemporalWorkflowStarter"/> and keeps what the
/// server answered, so a test can tell "started" from "already started" and see that a
/// rejected message never reached Temporal at all.
/// </summary>
public sealed class RecordingStarter : IWorkflowStarter
{
    private readonly IWorkflowStarter inner;
    private readonly List<(WorkflowStartRequest Request, StartResult Result)> answered = [];
    private int attempts;

    public RecordingStarter(IWorkflowStarter inner) => this.inner = inner;

    /// <summary>Every start Temporal answered, in order.</summary>
    public IReadOnlyList<(WorkflowStartRequest Request, StartResult Result)> Answered
    {
        get
        {
            lock (answered)
            {
                return [.. answered];
            }
        }
    }

    /// <summary>How many starts were attempted, answered or not.</summary>
    public int Attempts => Volatile.Read(ref attempts);

    public async Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref attempts);
        var result = await inner.StartAsync(request, cancellationToken);
        lock (answered)
        {
            answered.Add((request, result));
        }

        return result;
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => inner.IsReachableAsync(cancellationToken);
}
