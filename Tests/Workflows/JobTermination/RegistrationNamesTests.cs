using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Activities;
using Temporalio.Workflows;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>The names the worker registers are the names the workflow schedules and histories record.</summary>
public sealed class RegistrationNamesTests
{
    [Fact]
    public void Activity_types_are_the_method_names_without_async()
    {
        Assert.Equal(["CompleteJob", "FindActiveJobsOfInstance", "RecordJobStarted"], Names(typeof(JobRecordActivities)));
        Assert.Equal(["DeleteRunnerParameters"], Names(typeof(RunnerParameterActivities)));
        Assert.Equal(
            ["PublishBootstrapFailureMetrics", "PublishJobMetrics", "PublishRunnerConfirmedMetrics"],
            Names(typeof(JobMetricsActivities)));
        Assert.Equal(
            ["FindRequeueCandidate", "MarkJobRequeued", "SendRequeueMessage", "UndoJobRequeued"],
            Names(typeof(JobRequeueActivities)));
    }

    [Fact]
    public void Workflow_type_is_the_one_the_bridge_starts()
    {
        Assert.Equal(JobTerminationIds.WorkflowType, WorkflowDefinition.Create<JobTerminationWorkflow>().Name);
        Assert.Equal("JobTermination", JobTerminationIds.WorkflowType);
    }

    // Instance methods: definitions need an instance, but only the names are read here.
    private static string[] Names(Type activities) =>
        ActivityDefinition.CreateAll(activities, System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(activities))
            .Select(d => d.Name!)
            .Order(StringComparer.Ordinal)
            .ToArray();
}
