using RunsFleet.Workflows.Common;
using Temporalio.Activities;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace RunsFleet.Tests.SupportTests;

// A tiny workflow that exercises each kind of step the replay harness supports, so its own tests
// do not depend on the product workflows being written in parallel.
public sealed record ReplaySampleInput(string InstanceId, int Batch, bool ContinueAfter = false, int WaitMinutes = 0);

public sealed record ReplaySampleResult(string Outcome, int Cleaned, DateTime FinishedAt);

public sealed class ReplaySampleActivities(int perBatch)
{
    [Activity]
    public Task<int> CountParametersAsync(ReplaySampleInput input) => Task.FromResult(input.Batch * perBatch);

    [Activity]
    public Task<bool> CleanupAsync(string instanceId, int count) => Task.FromResult(count > perBatch && instanceId.Length > 0);
}

[Workflow("ReplaySample")]
public sealed class ReplaySampleWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };

    private string _phase = "starting";

    [WorkflowQuery]
    public string Phase => _phase;

    [WorkflowRun]
    public async Task<ReplaySampleResult> RunAsync(ReplaySampleInput input)
    {
        _phase = "counting";
        Workflow.UpsertTypedSearchAttributes(RunsFleetSearchAttributes.InstanceId.ValueSet(input.InstanceId));
        var count = await Workflow.ExecuteActivityAsync((ReplaySampleActivities a) => a.CountParametersAsync(input), Options);
        try
        {
            await Workflow.ExecuteActivityAsync((ReplaySampleActivities a) => a.CleanupAsync(input.InstanceId, count), Options);
        }
        catch (ActivityFailureException e) when (e.InnerException is ApplicationFailureException { ErrorType: "NotFound" })
        {
            return new ReplaySampleResult("already-gone", 0, Workflow.UtcNow);
        }

        if (input.WaitMinutes > 0)
        {
            await Workflow.DelayAsync(TimeSpan.FromMinutes(input.WaitMinutes));
        }

        if (input.ContinueAfter)
        {
            var next = input with { ContinueAfter = false, Batch = input.Batch + 1 };
            throw Workflow.CreateContinueAsNewException((ReplaySampleWorkflow wf) => wf.RunAsync(next));
        }

        _phase = "done";
        return new ReplaySampleResult("cleaned", count, Workflow.UtcNow);
    }
}
