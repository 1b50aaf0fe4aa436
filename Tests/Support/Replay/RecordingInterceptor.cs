using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Worker interceptor that records what a workflow does during one replay: scheduled activities
/// (type, arguments, options), timers, continue-as-new arguments, the return value or exception,
/// and the search attributes at the end. Replay cannot check arguments or results itself, so
/// tests assert on these. Use one instance per replay (<see cref="ReplayHarness"/> does).
/// </summary>
public sealed class RecordingInterceptor : IWorkerInterceptor
{
    private readonly object gate = new();
    private readonly List<RecordedActivity> activities = [];
    private readonly List<TimeSpan> timers = [];

    /// <summary>Activities in the order the workflow scheduled them.</summary>
    public IReadOnlyList<RecordedActivity> Activities
    {
        get
        {
            lock (gate)
            {
                return [.. activities];
            }
        }
    }

    /// <summary>Durations of Workflow.DelayAsync calls, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (gate)
            {
                return [.. timers];
            }
        }
    }

    /// <summary>True once the workflow's run method returned.</summary>
    public bool Returned { get; private set; }

    /// <summary>What the run method returned (null for Task or when it did not return).</summary>
    public object? ReturnValue { get; private set; }

    /// <summary>What the run method threw, other than continue-as-new.</summary>
    public Exception? Exception { get; private set; }

    /// <summary>The continue-as-new the workflow asked for, if any.</summary>
    public RecordedContinueAsNew? ContinueAsNew { get; private set; }

    /// <summary>Workflow.TypedSearchAttributes when the run method ended (start attributes plus upserts).</summary>
    public SearchAttributeCollection? SearchAttributes { get; private set; }

    /// <inheritdoc />
    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) =>
        new Inbound(this, nextInterceptor);

    private sealed class Inbound(RecordingInterceptor recorder, WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(recorder, outbound));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            try
            {
                var result = await base.ExecuteWorkflowAsync(input);
                recorder.ReturnValue = result;
                recorder.Returned = true;
                return result;
            }
            catch (ContinueAsNewException)
            {
                throw;
            }
            catch (Exception ex)
            {
                recorder.Exception = ex;
                throw;
            }
            finally
            {
                recorder.SearchAttributes = Workflow.TypedSearchAttributes;
            }
        }
    }

    private sealed class Outbound(RecordingInterceptor recorder, WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            lock (recorder.gate)
            {
                recorder.activities.Add(new RecordedActivity(input.Activity, input.Args, input.Options));
            }

            return base.ScheduleActivityAsync<TResult>(input);
        }

        public override Task DelayAsync(DelayAsyncInput input)
        {
            lock (recorder.gate)
            {
                recorder.timers.Add(input.Delay);
            }

            return base.DelayAsync(input);
        }

        public override ContinueAsNewException CreateContinueAsNewException(CreateContinueAsNewExceptionInput input)
        {
            recorder.ContinueAsNew = new RecordedContinueAsNew(input.Workflow, input.Args);
            return base.CreateContinueAsNewException(input);
        }
    }
}
