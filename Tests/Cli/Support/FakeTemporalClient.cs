using System.Linq.Expressions;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>
/// An in-memory <see cref="ITemporalClient"/> for the CLI's tests. Its <see cref="OutboundInterceptor"/>
/// (<see cref="FakeTemporalInterceptor"/>) holds the workflow runs and schedules, so the SDK's real
/// handles work over it: results are decoded from close events, histories paged, queries answered
/// from scripted progress. Every start, visibility query, trigger, pause and backfill is recorded.
/// What the CLI never calls (activities, Nexus, updates, worker versioning) is refused with
/// <see cref="NotSupportedException"/> naming the call.
/// </summary>
internal sealed class FakeTemporalClient : ITemporalClient
{
    public FakeTemporalClient() => OutboundInterceptor = new FakeTemporalInterceptor(this);

    /// <summary>Every run, in the order added or started.</summary>
    public List<FakeWorkflow> Workflows { get; } = [];

    public Dictionary<string, FakeSchedule> Schedules { get; } = new(StringComparer.Ordinal);

    /// <summary>Every workflow start that went through (refused duplicates are not recorded).</summary>
    public List<StartWorkflowInput> Starts { get; } = [];

    /// <summary>Every visibility query asked.</summary>
    public List<string> Queries { get; } = [];

    /// <summary>Scripts a run as it is started (its progress answers, how it closes).</summary>
    public Action<FakeWorkflow>? OnStart { get; set; }

    /// <summary>The server's clock for new runs' start events.</summary>
    public DateTimeOffset Now { get; set; } = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public ClientOutboundInterceptor OutboundInterceptor { get; }

    public TemporalClientOptions Options { get; } = new() { Namespace = "default" };

    public ITemporalConnection Connection => throw Unused(nameof(Connection));

    public WorkflowService WorkflowService => throw Unused(nameof(WorkflowService));

    public OperatorService OperatorService => throw Unused(nameof(OperatorService));

    public IBridgeClientProvider BridgeClientProvider => throw Unused(nameof(BridgeClientProvider));

    public FakeWorkflow Add(FakeWorkflow workflow)
    {
        Workflows.Add(workflow);
        return workflow;
    }

    /// <summary>The run <paramref name="runId"/> of <paramref name="id"/>, or its latest run; NotFound as the server answers.</summary>
    public FakeWorkflow Find(string id, string? runId) =>
        Workflows.LastOrDefault(w => w.Id == id && (string.IsNullOrEmpty(runId) || w.RunId == runId))
        ?? throw new RpcException(RpcException.StatusCode.NotFound, $"workflow not found for ID: {id}", null);

    public FakeSchedule Schedule(string id) =>
        Schedules.TryGetValue(id, out var schedule)
            ? schedule
            : throw new RpcException(RpcException.StatusCode.NotFound, $"schedule {id} not found", null);

    public Task<WorkflowHandle> StartWorkflowAsync(string workflow, IReadOnlyCollection<object?> args, WorkflowOptions options) =>
        OutboundInterceptor.StartWorkflowAsync<ValueTuple, ValueTuple>(new StartWorkflowInput(workflow, args, options, null))
            .ContinueWith(t => (WorkflowHandle)t.Result, TaskScheduler.Default);

    public WorkflowHandle GetWorkflowHandle(string id, string? runId = null, string? firstExecutionRunId = null) =>
        new(this, id, runId, runId, firstExecutionRunId);

    public WorkflowHandle<TWorkflow> GetWorkflowHandle<TWorkflow>(string id, string? runId = null, string? firstExecutionRunId = null) =>
        new(this, id, runId, runId, firstExecutionRunId);

    public WorkflowHandle<TWorkflow, TResult> GetWorkflowHandle<TWorkflow, TResult>(string id, string? runId = null, string? firstExecutionRunId = null) =>
        new(this, id, runId, runId, firstExecutionRunId);

    public IAsyncEnumerable<WorkflowExecution> ListWorkflowsAsync(string query, WorkflowListOptions? options = null) =>
        OutboundInterceptor.ListWorkflowsAsync(new ListWorkflowsInput(query, options));

    public ScheduleHandle GetScheduleHandle(string id) => new(this, id);

    public Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, Task<TResult>>> workflowRunCall, WorkflowOptions options) =>
        throw Unused("StartWorkflowAsync(expression)");

    public Task<WorkflowHandle<TWorkflow>> StartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> workflowRunCall, WorkflowOptions options) =>
        throw Unused("StartWorkflowAsync(expression)");

    public Task<WorkflowUpdateHandle> StartUpdateWithStartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> updateCall, WorkflowStartUpdateWithStartOptions options) =>
        throw Unused(nameof(StartUpdateWithStartWorkflowAsync));

    public Task<WorkflowUpdateHandle<TUpdateResult>> StartUpdateWithStartWorkflowAsync<TWorkflow, TUpdateResult>(Expression<Func<TWorkflow, Task<TUpdateResult>>> updateCall, WorkflowStartUpdateWithStartOptions options) =>
        throw Unused(nameof(StartUpdateWithStartWorkflowAsync));

    public Task<WorkflowUpdateHandle> StartUpdateWithStartWorkflowAsync(string update, IReadOnlyCollection<object?> args, WorkflowStartUpdateWithStartOptions options) =>
        throw Unused(nameof(StartUpdateWithStartWorkflowAsync));

    public Task<WorkflowUpdateHandle<TUpdateResult>> StartUpdateWithStartWorkflowAsync<TUpdateResult>(string update, IReadOnlyCollection<object?> args, WorkflowStartUpdateWithStartOptions options) =>
        throw Unused(nameof(StartUpdateWithStartWorkflowAsync));

    public Task<WorkflowExecutionCount> CountWorkflowsAsync(string query, WorkflowCountOptions? options = null) => throw Unused(nameof(CountWorkflowsAsync));

    public Task<WorkflowListPage> ListWorkflowsPaginatedAsync(string query, byte[]? nextPageToken, WorkflowListPaginatedOptions? options = null) =>
        throw Unused(nameof(ListWorkflowsPaginatedAsync));

    public Task<ScheduleHandle> CreateScheduleAsync(string scheduleId, Schedule schedule, ScheduleOptions? options = null) => throw Unused(nameof(CreateScheduleAsync));

    public IAsyncEnumerable<ScheduleListDescription> ListSchedulesAsync(ScheduleListOptions? options = null) => throw Unused(nameof(ListSchedulesAsync));

    public AsyncActivityHandle GetAsyncActivityHandle(byte[] taskToken) => throw Unused(nameof(GetAsyncActivityHandle));

    public AsyncActivityHandle GetAsyncActivityHandle(string workflowId, string runId, string activityId) => throw Unused(nameof(GetAsyncActivityHandle));

    // The interface still carries the deprecated worker-versioning calls; the CLI never makes them.
#pragma warning disable CS0618
    public Task UpdateWorkerBuildIdCompatibilityAsync(string taskQueue, BuildIdOp buildIdOp, RpcOptions? rpcOptions = null) => throw Unused(nameof(UpdateWorkerBuildIdCompatibilityAsync));

    public Task<WorkerBuildIdVersionSets?> GetWorkerBuildIdCompatibilityAsync(string taskQueue, int maxSets = 0, RpcOptions? rpcOptions = null) =>
        throw Unused(nameof(GetWorkerBuildIdCompatibilityAsync));

    public Task<WorkerTaskReachability> GetWorkerTaskReachabilityAsync(IReadOnlyCollection<string> buildIds, IReadOnlyCollection<string> taskQueues, TaskReachability? reachability = null, RpcOptions? rpcOptions = null) =>
        throw Unused(nameof(GetWorkerTaskReachabilityAsync));
#pragma warning restore CS0618

    public Task<ActivityHandle<TResult>> StartActivityAsync<TResult>(Expression<Func<Task<TResult>>> activityCall, StartActivityOptions options) => throw Unused(nameof(StartActivityAsync));

    public Task<ActivityHandle> StartActivityAsync(Expression<Func<Task>> activityCall, StartActivityOptions options) => throw Unused(nameof(StartActivityAsync));

    public Task<ActivityHandle> StartActivityAsync(string activity, IReadOnlyCollection<object?> args, StartActivityOptions options) => throw Unused(nameof(StartActivityAsync));

    public ActivityHandle GetActivityHandle(string activityId, string? runId = null) => throw Unused(nameof(GetActivityHandle));

    public ActivityHandle<TResult> GetActivityHandle<TResult>(string activityId, string? runId = null) => throw Unused(nameof(GetActivityHandle));

    public IAsyncEnumerable<ActivityExecution> ListActivitiesAsync(string query, ActivityListOptions? options = null) => throw Unused(nameof(ListActivitiesAsync));

    public Task<ActivityExecutionCount> CountActivitiesAsync(string query, ActivityCountOptions? options = null) => throw Unused(nameof(CountActivitiesAsync));

    public Task<ActivityListPage> ListActivitiesPaginatedAsync(string query, byte[]? nextPageToken, ActivityListPaginatedOptions? options = null) => throw Unused(nameof(ListActivitiesPaginatedAsync));

    public NexusClient CreateNexusClient(string service, string endpoint) => throw Unused(nameof(CreateNexusClient));

    public NexusClient<TService> CreateNexusClient<TService>(string endpoint) => throw Unused(nameof(CreateNexusClient));

    public NexusOperationHandle GetNexusOperationHandle(string operationId, string? runId = null) => throw Unused(nameof(GetNexusOperationHandle));

    public NexusOperationHandle<TResult> GetNexusOperationHandle<TResult>(string operationId, string? runId = null) => throw Unused(nameof(GetNexusOperationHandle));

    public IAsyncEnumerable<NexusOperationExecution> ListNexusOperationsAsync(string query, NexusOperationListOptions? options = null) => throw Unused(nameof(ListNexusOperationsAsync));

    public Task<NexusOperationExecutionCount> CountNexusOperationsAsync(string query, NexusOperationCountOptions? options = null) => throw Unused(nameof(CountNexusOperationsAsync));

    public Task<NexusOperationListPage> ListNexusOperationsPaginatedAsync(string query, byte[]? nextPageToken, NexusOperationListPaginatedOptions? options = null) =>
        throw Unused(nameof(ListNexusOperationsPaginatedAsync));

    private static NotSupportedException Unused(string call) => new($"FakeTemporalClient does not hold {call}: the CLI does not call it");
}
