using RunsFleet.Activities.Requeue;
using RunsFleet.Workflows.JobTermination;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>The requeue decision of a failed bootstrap, in runs-fleet's order (handler.go:395-398).</summary>
public sealed class BootstrapRequeuePlanTests
{
    private static RequeueCandidate Job(long runId = 9, int retry = 0) =>
        new(7, runId, "acme/app", "m7g.large", "default", retry, "launched", string.Empty);

    public static TheoryData<RequeueLookup, BootstrapRequeue> Cases => new()
    {
        { new RequeueLookup(null, 0, true, 1), BootstrapRequeue.NoJob },
        { new RequeueLookup(null, 2, true, 1), BootstrapRequeue.SeveralJobs },
        { new RequeueLookup(Job(runId: 0), 1, true, 1), BootstrapRequeue.NoRunId },
        { new RequeueLookup(Job(), 1, false, 1), BootstrapRequeue.NoQueue },
        // Without a queue runs-fleet does not even count the scheduling failure.
        { new RequeueLookup(Job(retry: 2), 1, false, 1), BootstrapRequeue.NoQueue },
        { new RequeueLookup(Job(retry: 0), 1, true, 1), BootstrapRequeue.Requeued },
        { new RequeueLookup(Job(retry: 1), 1, true, 1), BootstrapRequeue.Requeued },
        { new RequeueLookup(Job(retry: 2), 1, true, 1), BootstrapRequeue.RetryCapReached },
        { new RequeueLookup(Job(retry: 5), 1, true, 1), BootstrapRequeue.RetryCapReached },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_runs_fleet(RequeueLookup lookup, BootstrapRequeue expected)
    {
        Assert.Equal(expected, BootstrapRequeuePlan.Decide(lookup));
    }

    [Fact]
    public void Every_refusal_is_described_with_its_reason()
    {
        Assert.Equal(
            "i-1 has no running or launched job; nothing requeued",
            BootstrapRequeuePlan.Describe(BootstrapRequeue.NoJob, new RequeueLookup(null, 0, true, 1), "i-1"));
        Assert.Equal(
            "job 7 not requeued: retry_count 2 is at the cap of 2",
            BootstrapRequeuePlan.Describe(
                BootstrapRequeue.RetryCapReached, new RequeueLookup(Job(retry: 2), 1, true, 1), "i-1"));
        Assert.Equal(
            "job 7 not requeued: RUNS_FLEET_QUEUE_URL is not set",
            BootstrapRequeuePlan.Describe(BootstrapRequeue.NoQueue, new RequeueLookup(Job(), 1, false, 1), "i-1"));
    }
}
