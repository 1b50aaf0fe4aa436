using Temporalio.Common;
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
    private readonly object _gate = new();
    private readonly List<RecordedActivity> _activities = [];
    private readonly List<TimeSpan> _timers = [];

    /// <summary>Activities in the order the workflow scheduled them.</summary>
    public IReadOnlyList<RecordedActivity> Activities
    {
        get
        {
            lock (_gate)
            {
                return [.. _activities];
            }
        }
    }

    /// <summary>Durations of Workflow.DelayAsync calls, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers];
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

    /// <summary>Workflow.TypedSearchAttributes at the last command or when the run method ended (start attributes plus upserts).</summary>
    public SearchAttributeCollection? SearchAttributes { get; private set; }

    // Taken at each command and at the end, so an open history (last task live, run never ends)
    // still shows the upserts made so far. Outside workflow context (instance torn down) keep the last one.
    private void SnapshotSearchAttributes()
    {
        try
        {
            SearchAttributes = Workflow.TypedSearchAttributes;
        }
        catch (InvalidOperationException)
        {
        }
    }

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
                recorder.SnapshotSearchAttributes();
            }
        }
    }

    private sealed class Outbound(RecordingInterceptor recorder, WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            lock (recorder._gate)
            {
                recorder._activities.Add(new RecordedActivity(input.Activity, input.Args, input.Options));
            }

            recorder.SnapshotSearchAttributes();

            return base.ScheduleActivityAsync<TResult>(input);
        }

        public override Task DelayAsync(DelayAsyncInput input)
        {
            lock (recorder._gate)
            {
                recorder._timers.Add(input.Delay);
            }

            return base.DelayAsync(input);
        }

        public override ContinueAsNewException CreateContinueAsNewException(CreateContinueAsNewExceptionInput input)
        {
            recorder.ContinueAsNew = new RecordedContinueAsNew(input.Workflow, input.Args);
            recorder.SnapshotSearchAttributes();
            return base.CreateContinueAsNewException(input);
        }
    }
}
