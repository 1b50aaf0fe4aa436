using Microsoft.Extensions.Logging;
using RunsFleet.SqsBridge.Configuration;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace RunsFleet.SqsBridge.Starting;

/// <summary><see cref="IWorkflowStarter"/> on a Temporal client.
/// <para>
/// Id policies (see SqsBridge/README.md, "Duplicate deliveries"):
/// </para>
/// <list type="bullet">
/// <item><see cref="StartMode.OncePerId"/> (JobTermination): id reuse
/// <c>AllowDuplicateFailedOnly</c>: a completed run is never repeated (its effects happened
/// once), while a failed, terminated, cancelled or timed-out run may be started again by a
/// redelivery or a re-sent message, which is how an operator retries. Conflict policy
/// <c>Fail</c>: a running run is not disturbed; the server answers "already started" and
/// the message is acknowledged as a duplicate.</item>
/// <item><see cref="StartMode.JoinRunning"/> (sweeps): id reuse <c>AllowDuplicate</c>:
/// a sweep is meant to run again later; conflict <c>Fail</c>: the running one is joined.
/// A best-effort visibility query first finds a run started by the sweep's Schedule (its
/// id carries a time suffix, so the id conflict alone would not catch it).</item>
/// </list></summary>
public sealed class TemporalWorkflowStarter : IWorkflowStarter
{
    private static readonly TimeSpan RpcTimeout = TimeSpan.FromSeconds(30);

    private readonly ITemporalClient _client;
    private readonly string _taskQueue;
    private readonly ILogger<TemporalWorkflowStarter> _logger;

    public TemporalWorkflowStarter(ITemporalClient client, BridgeOptions options,
        ILogger<TemporalWorkflowStarter> logger)
        : this(client, (options ?? throw new ArgumentNullException(nameof(options))).TaskQueue, logger)
    {
    }

    private TemporalWorkflowStarter(ITemporalClient client, string taskQueue, ILogger<TemporalWorkflowStarter> logger)
    {
        _client = client;
        _taskQueue = taskQueue;
        _logger = logger;
    }

    /// <summary>A starter outside the bridge (the operator CLI): starts on <paramref name="taskQueue"/>.</summary>
    public static TemporalWorkflowStarter OnTaskQueue(ITemporalClient client, string taskQueue,
        ILogger<TemporalWorkflowStarter> logger) =>
        new(client, taskQueue, logger);

    public async Task<StartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Bounded so a hung call releases its slot; the message then simply comes back.
        var rpc = new RpcOptions { CancellationToken = cancellationToken, Timeout = RpcTimeout };
        if (request.Mode == StartMode.JoinRunning && await FindRunningAsync(request.WorkflowType, rpc) is { } running)
        {
            return running;
        }

        var attributes = new SearchAttributeCollection.Builder();
        foreach (var (name, value) in request.SearchAttributes)
        {
            attributes.Set(SearchAttributeKey.CreateKeyword(name), value);
        }

        var options = new WorkflowOptions(request.WorkflowId, _taskQueue)
        {
            IdReusePolicy = request.Mode == StartMode.OncePerId
                ? WorkflowIdReusePolicy.AllowDuplicateFailedOnly
                : WorkflowIdReusePolicy.AllowDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
            TypedSearchAttributes = attributes.ToSearchAttributeCollection(),
            Rpc = rpc,
        };

        try
        {
            var handle = await _client.StartWorkflowAsync(request.WorkflowType, [request.Input], options);
            return new StartResult(StartStatus.Started, handle.Id, handle.ResultRunId);
        }
        catch (WorkflowAlreadyStartedException e)
        {
            // With Fail + AllowDuplicateFailedOnly this means running or completed; with
            // AllowDuplicate it can only mean running.
            var status = request.Mode == StartMode.JoinRunning ? StartStatus.JoinedRunning : StartStatus.AlreadyStarted;
            return new StartResult(status, e.WorkflowId, e.RunId);
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var rpc = new RpcOptions { CancellationToken = cancellationToken, Timeout = TimeSpan.FromSeconds(10) };
            return await _client.Connection.CheckHealthAsync(options: rpc);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "Temporal health check failed");
            return false;
        }
    }

    // Best effort: visibility may be unavailable or lag a few seconds behind; the id
    // conflict still catches a second triggered run.
    private async Task<StartResult?> FindRunningAsync(string workflowType, RpcOptions rpc)
    {
        var query = $"WorkflowType = '{workflowType}' AND ExecutionStatus = 'Running'";
        try
        {
            await foreach (var execution in _client.ListWorkflowsAsync(query, new WorkflowListOptions { Limit = 1,
                Rpc = rpc }))
            {
                return new StartResult(StartStatus.JoinedRunning, execution.Id, execution.RunId);
            }
        }
        catch (RpcException e)
        {
            _logger.LogDebug(e, "Visibility query {Query} failed; relying on the workflow id conflict", query);
        }

        return null;
    }
}
