using System.Collections.Concurrent;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Starting;

namespace RunsFleet.Tests.SqsBridge;

/// <summary>
/// A stand-in for Temporal that records starts and answers like the server would: the
/// same workflow id twice is "already started"; a sweep whose workflow type is running
/// is joined. Can be made unreachable, slow, or to fail chosen calls with any exception (the
/// RpcException codes a real server answers with) to exercise the pump's fault and shutdown paths.
/// </summary>
public sealed class RecordingWorkflowStarter : IWorkflowStarter
{
    private readonly ConcurrentDictionary<string, WorkflowStartRequest> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _runningByType = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(WorkflowStartRequest Request, StartStatus Status)> _accepted = new();
    private readonly ConcurrentQueue<WorkflowStartRequest> _failedWhileDown = new();
    private readonly ConcurrentQueue<(WorkflowStartRequest Request, Exception Fault)> _faulted = new();
    private int _probes;

    /// <summary>False simulates a Temporal outage: starts throw, probes answer false.</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>
    /// Decides per call whether it fails and how (null: it goes through). The fault is thrown
    /// before the server's state changes, as a refused RPC would be.
    /// </summary>
    public Func<WorkflowStartRequest, Exception?> Fault { get; set; } = _ => null;

    /// <summary>Calls that failed through <see cref="Fault"/>, with what they threw.</summary>
    public IReadOnlyList<(WorkflowStartRequest Request, Exception Fault)> Faulted => [.. _faulted];

    /// <summary>How long a start takes (cancellable, like an RPC).</summary>
    public Func<TimeSpan> StartDelay { get; set; } = () => TimeSpan.Zero;

    /// <summary>Workflow ids of every run ever started (Temporal's state).</summary>
    public IReadOnlyCollection<string> StartedIds => [.. _runs.Keys];

    /// <summary>Requests that created a run.</summary>
    public IReadOnlyList<WorkflowStartRequest> Started => [.. _accepted.Where(a => a.Status == StartStatus.Started).Select(a => a.Request)];

    /// <summary>Every answered request with its answer.</summary>
    public IReadOnlyList<(WorkflowStartRequest Request, StartStatus Status)> Answered => [.. _accepted];

    /// <summary>Starts that failed because Temporal was down.</summary>
    public IReadOnlyList<WorkflowStartRequest> FailedWhileDown => [.. _failedWhileDown];

    public int Probes => Volatile.Read(ref _probes);

    /// <summary>Marks a sweep as running (e.g. started by its Schedule, with a time-suffixed id).</summary>
    public void MarkRunning(string workflowType, string workflowId) => _runningByType[workflowType] = workflowId;

    public async Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        var delay = StartDelay();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (!Reachable)
        {
            _failedWhileDown.Enqueue(request);
            throw new HttpRequestException("Connection refused (simulated Temporal outage)");
        }

        if (Fault(request) is { } fault)
        {
            _faulted.Enqueue((request, fault));
            throw fault;
        }

        StartResult result;
        if (request.Mode == StartMode.JoinRunning && _runningByType.TryGetValue(request.WorkflowType, out var runningId))
        {
            result = new StartResult(StartStatus.JoinedRunning, runningId, "run-of-" + runningId);
        }
        else if (_runs.TryAdd(request.WorkflowId, request))
        {
            if (request.Mode == StartMode.JoinRunning)
            {
                _runningByType[request.WorkflowType] = request.WorkflowId;
            }

            result = new StartResult(StartStatus.Started, request.WorkflowId, Guid.NewGuid().ToString());
        }
        else
        {
            result = new StartResult(StartStatus.AlreadyStarted, request.WorkflowId, null);
        }

        _accepted.Enqueue((request, result.Status));
        return result;
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _probes);
        return Task.FromResult(Reachable);
    }

    /// <summary>SQS message ids of the termination inputs that were started.</summary>
    public IReadOnlyList<string?> StartedMessageIds =>
        [.. Started.Select(r => (r.Input as JobTerminationInput)?.SqsMessageId)];
}
