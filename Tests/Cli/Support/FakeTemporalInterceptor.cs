using Google.Protobuf.WellKnownTypes;
using RunsFleet.Tests.Support.Replay;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Client.Schedules;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli.Support;

/// <summary>
/// The in-memory Temporal behind <see cref="FakeTemporalClient"/>: the SDK's own handles
/// (WorkflowHandle, ScheduleHandle) call these methods, so result decoding, history paging and
/// exceptions are the SDK's. Calls it does not hold go on to <see cref="Nowhere"/>: a real client
/// whose lazy connection points at a closed loopback port, so they fail as an unreachable server would.
/// </summary>
internal sealed class FakeTemporalInterceptor(FakeTemporalClient client) : ClientOutboundInterceptor(Nowhere.Value.OutboundInterceptor)
{
    private static readonly Lazy<TemporalClient> Nowhere = new(() => TemporalClient.CreateLazy(new TemporalClientConnectOptions("127.0.0.1:1")));

    public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
    {
        var options = input.Options;
        var id = options.Id ?? throw new ArgumentException("a workflow id is required");
        if (client.Workflows.FirstOrDefault(w => w.Id == id && w.Status == WorkflowExecutionStatus.Running) is { } running)
        {
            throw new WorkflowAlreadyStartedException("Workflow execution already started", id, running.Type, running.RunId);
        }

        client.Starts.Add(input);
        var runId = Guid.NewGuid().ToString();
        var history = new HistoryBuilder(input.Workflow, input.Args.SingleOrDefault(), id, options.TaskQueue ?? "runs-fleet", client.Now).Build();
        var workflow = new FakeWorkflow(id, runId, input.Workflow, history.Events, options.TaskQueue ?? "runs-fleet")
        {
            SearchAttributes = options.TypedSearchAttributes?.UntypedValues.ToDictionary(p => p.Key.Name, p => (string)p.Value, StringComparer.Ordinal)
                ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        client.OnStart?.Invoke(workflow);
        client.Workflows.Add(workflow);
        return Task.FromResult(new WorkflowHandle<TWorkflow, TResult>(client, id, null, runId, runId));
    }

    public override async IAsyncEnumerable<WorkflowExecution> ListWorkflowsAsync(ListWorkflowsInput input)
    {
        client.Queries.Add(input.Query);
        var matches = FakeVisibilityQuery.Parse(input.Query);
        // SQL visibility's order: running runs first, then by start time, newest first.
        var runs = client.Workflows.Where(matches)
            .OrderBy(w => w.Status == WorkflowExecutionStatus.Running ? 0 : 1)
            .ThenByDescending(w => w.StartTime)
            .Take(input.Options?.Limit is > 0 and var limit ? limit : int.MaxValue)
            .ToList();
        foreach (var run in runs)
        {
            await Task.Yield();
            yield return new FakeExecution(Info(run));
        }
    }

    public override Task<TResult> QueryWorkflowAsync<TResult>(QueryWorkflowInput input)
    {
        var run = client.Find(input.Id, input.RunId);
        if (input.Query != "progress" || run.NextProgress() is not { } answer)
        {
            throw new WorkflowQueryFailedException($"unknown queryType {input.Query}. KnownQueryTypes=[]");
        }

        return Task.FromResult(DataConverter.Default.PayloadConverter.ToValue<TResult>(answer));
    }

    public override async Task<WorkflowHistoryEventPage> FetchWorkflowHistoryEventPageAsync(FetchWorkflowHistoryEventPageInput input)
    {
        var run = client.Find(input.Id, input.RunId);
        if (input.EventFilterType == HistoryEventFilterType.CloseEvent)
        {
            if (input.WaitNewEvent)
            {
                await run.WaitClosedAsync(input.Rpc?.CancellationToken ?? CancellationToken.None);
            }

            return new WorkflowHistoryEventPage(run.Status == WorkflowExecutionStatus.Running ? [] : [run.Events[^1]], null);
        }

        return new WorkflowHistoryEventPage([.. run.Events], null);
    }

    public override Task<ScheduleDescription> DescribeScheduleAsync(DescribeScheduleInput input) =>
        Task.FromResult<ScheduleDescription>(client.Schedule(input.Id).Describe());

    public override Task TriggerScheduleAsync(TriggerScheduleInput input)
    {
        client.Schedule(input.Id).Triggers.Add(input.Options ?? new ScheduleTriggerOptions());
        return Task.CompletedTask;
    }

    public override Task PauseScheduleAsync(PauseScheduleInput input)
    {
        client.Schedule(input.Id).SetPaused(true, input.Note ?? "Paused via .NET SDK");
        return Task.CompletedTask;
    }

    public override Task UnpauseScheduleAsync(UnpauseScheduleInput input)
    {
        client.Schedule(input.Id).SetPaused(false, input.Note ?? "Unpaused via .NET SDK");
        return Task.CompletedTask;
    }

    public override Task BackfillScheduleAsync(BackfillScheduleInput input)
    {
        client.Schedule(input.Id).Backfills.AddRange(input.Backfills);
        return Task.CompletedTask;
    }

    private static WorkflowExecutionInfo Info(FakeWorkflow run)
    {
        var attributes = new SearchAttributeCollection.Builder();
        foreach (var (name, value) in run.SearchAttributes)
        {
            attributes.Set(SearchAttributeKey.CreateKeyword(name), value);
        }

        var info = new WorkflowExecutionInfo
        {
            Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = run.Id, RunId = run.RunId },
            Type = new Temporalio.Api.Common.V1.WorkflowType { Name = run.Type },
            StartTime = Timestamp.FromDateTime(run.StartTime),
            Status = run.Status,
            TaskQueue = run.TaskQueue,
            HistoryLength = run.Events.Count,
            SearchAttributes = attributes.ToSearchAttributeCollection().ToProto(),
        };
        if (run.CloseTime is { } close)
        {
            info.CloseTime = Timestamp.FromDateTime(close);
        }

        return info;
    }

    /// <summary>A listed run, built the way the SDK builds one from the server's answer.</summary>
    private sealed class FakeExecution(WorkflowExecutionInfo info) : WorkflowExecution(info, DataConverter.Default, null);
}
