using Temporalio.Activities;
using Temporalio.Workflows;

namespace RunsFleet.Tests.SupportTests;

// Workflow and activity without results, to prove histories without result payloads replay.
public sealed class ReplayVoidSampleActivities(List<string> notified)
{
    [Activity]
    public Task NotifyAsync(string message)
    {
        notified.Add(message);
        return Task.CompletedTask;
    }
}

[Workflow("ReplayVoidSample")]
public sealed class ReplayVoidSampleWorkflow
{
    private int _sent;

    [WorkflowQuery]
    public int Sent => _sent;

    [WorkflowRun]
    public async Task RunAsync(string message)
    {
        await Workflow.ExecuteActivityAsync(
            (ReplayVoidSampleActivities a) => a.NotifyAsync(message),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
        _sent++;
    }
}
