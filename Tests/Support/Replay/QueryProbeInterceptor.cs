using System.Text.Json;
using Temporalio.Converters;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Worker interceptor that asks a workflow's query during a replay, which the WorkflowReplayer
/// itself cannot send: each time the workflow schedules an activity, asks to continue as new,
/// returns or fails, it runs the registered handler of <see cref="QueryName"/>
/// (<c>Workflow.Queries</c>) through the inbound interceptor chain, i.e. the SDK's own query
/// dispatch, and records the answer as JSON (through the default data converter, as a client would
/// receive it) together with <c>Workflow.CurrentDetails</c> at that moment. Use one instance per
/// replay (<see cref="ReplayHarness.ReplayWithQueryAsync{TWorkflow}"/> does).
/// </summary>
public sealed class QueryProbeInterceptor(string queryName) : IWorkerInterceptor
{
    private readonly object _gate = new();
    private readonly List<QueryProbe> _probes = [];

    /// <summary>The query asked at every probe.</summary>
    public string QueryName { get; } = queryName;

    /// <summary>The answers in the order the workflow reached the probe points.</summary>
    public IReadOnlyList<QueryProbe> Probes
    {
        get
        {
            lock (_gate)
            {
                return [.. _probes];
            }
        }
    }

    /// <inheritdoc />
    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) =>
        new Inbound(this, nextInterceptor);

    private sealed class Inbound(QueryProbeInterceptor probe, WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(this, outbound));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            try
            {
                var result = await base.ExecuteWorkflowAsync(input);
                Ask(QueryProbe.Returned);
                return result;
            }
            catch (ContinueAsNewException)
            {
                throw;
            }
            catch (Exception)
            {
                Ask(QueryProbe.Failed);
                throw;
            }
        }

        // Asks the query as the worker would on a query task: the handler registered under the
        // name, dispatched by the rest of the chain; a workflow without one fails the replay.
        public void Ask(string at)
        {
            if (!Workflow.Queries.TryGetValue(probe.QueryName, out var definition))
            {
                throw new InvalidOperationException($"The workflow has no query handler named '{probe.QueryName}'.");
            }

            int id;
            lock (probe._gate)
            {
                id = probe._probes.Count + 1;
            }

            var answer = HandleQuery(new HandleQueryInput($"probe-{id}", probe.QueryName, definition, [], null));
            var recorded = new QueryProbe(at, RecordedCall.ToJson(answer), Workflow.CurrentDetails);
            lock (probe._gate)
            {
                probe._probes.Add(recorded);
            }
        }
    }

    private sealed class Outbound(Inbound inbound, WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            inbound.Ask(input.Activity);
            return base.ScheduleActivityAsync<TResult>(input);
        }

        public override ContinueAsNewException CreateContinueAsNewException(CreateContinueAsNewExceptionInput input)
        {
            inbound.Ask(QueryProbe.ContinuedAsNew);
            return base.CreateContinueAsNewException(input);
        }
    }
}

/// <summary>One answer to the probed query.</summary>
/// <param name="At">Where the workflow was: the type of the activity it was scheduling, or
/// <see cref="ContinuedAsNew"/>, <see cref="Returned"/>, <see cref="Failed"/>.</param>
/// <param name="Answer">The query's answer as JSON, as a client receives it.</param>
/// <param name="CurrentDetails">Workflow.CurrentDetails at that moment (what the UI shows).</param>
public sealed record QueryProbe(string At, JsonElement Answer, string? CurrentDetails)
{
    /// <summary><see cref="At"/> when the workflow asked to continue as new.</summary>
    public const string ContinuedAsNew = "(continue-as-new)";

    /// <summary><see cref="At"/> when the run method returned.</summary>
    public const string Returned = "(returned)";

    /// <summary><see cref="At"/> when the run method threw (not continue-as-new).</summary>
    public const string Failed = "(failed)";

    /// <summary>The answer converted to <typeparamref name="T"/> through its payload (the default data converter).</summary>
    public T As<T>()
    {
        var converter = DataConverter.Default.PayloadConverter;
        return converter.ToValue<T>(converter.ToPayload(Answer));
    }
}
