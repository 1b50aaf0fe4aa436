using RunsFleet.Activities.Jobs;
using RunsFleet.Contracts.Common;
using Temporalio.Activities;
using Temporalio.Worker.Interceptors;

namespace RunsFleet.Worker.Hosting;

/// <summary>Opens one logging scope around every activity execution with the workflow id, run id,
/// activity type and attempt, and the job id and instance id where the input names them. The
/// activities log through their injected ILogger; without this scope their lines (one JSON
/// object each off a terminal) would not say which run, job or instance they are about.</summary>
internal sealed class ActivityLogScope : IWorkerInterceptor
{
    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) =>
        new Inbound(nextInterceptor);

    /// <summary>The scope's fields for an activity with <paramref name="info"/> called with <paramref
    /// name="args"/>.</summary>
    internal static Dictionary<string, object?> Fields(ActivityInfo info, IReadOnlyCollection<object?> args)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["WorkflowId"] = info.WorkflowId,
            ["RunId"] = info.WorkflowRunId,
            ["ActivityType"] = info.ActivityType,
            ["Attempt"] = info.Attempt,
        };
        foreach (var arg in args)
        {
            switch (arg)
            {
                case IJobOnInstance job:
                    fields["JobId"] = job.JobId;
                    fields["InstanceId"] = job.InstanceId;
                    break;

                // DeleteRunnerParameters and FindActiveJobsOfInstance take the bare instance id.
                case string text when InstanceIds.IsValid(text):
                    fields["InstanceId"] = text;
                    break;
            }
        }

        return fields;
    }

    /// <summary>Runs <paramref name="execute"/> (the activity) inside the scope of the current activity
    /// called with <paramref name="args"/>. The context's logger comes from the worker's logger
    /// factory, whose scopes every logger of that factory (the activities' ILogger&lt;T&gt;) shares
    /// within this execution.</summary>
    internal static async Task<object?> RunInScopeAsync(IReadOnlyCollection<object?> args, Func<Task<object?>> execute)
    {
        var context = ActivityExecutionContext.Current;
        using var scope = context.Logger.BeginScope(Fields(context.Info, args));
        return await execute().ConfigureAwait(false);
    }

    private sealed class Inbound(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override Task<object?> ExecuteActivityAsync(ExecuteActivityInput input) =>
            RunInScopeAsync(input.Args, () => base.ExecuteActivityAsync(input));
    }
}
