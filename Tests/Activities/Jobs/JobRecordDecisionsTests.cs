using RunsFleet.Activities.Jobs;
using Snapshot = RunsFleet.Activities.Jobs.JobRecordDecisions.Snapshot;

namespace RunsFleet.Tests.Activities.Jobs;

public sealed class JobRecordDecisionsTests
{
    private const string Me = "i-0a1b2c3d4e5f60718";
    private const string Other = "i-0fedcba9876543210";

    public static TheoryData<Snapshot, CompleteJobOutcome?> Completions => new()
    {
        { new Snapshot(false, null, null, null, null), CompleteJobOutcome.NotFound },
        { new Snapshot(true, Other, "running", null, "p"), CompleteJobOutcome.OwnedByOtherInstance },
        { new Snapshot(true, Other, "completed", null, "p"), CompleteJobOutcome.OwnedByOtherInstance },
        { new Snapshot(true, null, "running", null, "p"), CompleteJobOutcome.OwnedByOtherInstance },
        { new Snapshot(true, Me, "completed", null, "p"), CompleteJobOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "failed", null, "p"), CompleteJobOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "timeout", null, "p"), CompleteJobOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "interrupted", null, "p"), CompleteJobOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "running", null, "p"), null }, // changed under us: retry
        { new Snapshot(true, Me, null, null, "p"), null },
    };

    [Theory]
    [MemberData(nameof(Completions))]
    public void Failed_completion_is_explained_by_the_record(Snapshot record, CompleteJobOutcome? expected)
    {
        Assert.Equal(expected, JobRecordDecisions.AfterFailedCompletion(record, Me));
    }

    public static TheoryData<Snapshot, RecordJobStartedOutcome?> Starts => new()
    {
        { new Snapshot(false, null, null, null, null), RecordJobStartedOutcome.NotFound },
        { new Snapshot(true, Other, "running", null, null), RecordJobStartedOutcome.OwnedByOtherInstance },
        { new Snapshot(true, Me, "completed", "2026-11-20T10:00:00Z", null), RecordJobStartedOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "failed", null, null), RecordJobStartedOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "success", null, null), RecordJobStartedOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "cancelled", null, null), RecordJobStartedOutcome.AlreadyTerminal },
        { new Snapshot(true, Me, "running", "2026-11-20T10:00:00Z", null), RecordJobStartedOutcome.AlreadyRecorded },
        // Running without started_at keeps what it has.
        { new Snapshot(true, Me, "running", null, null), RecordJobStartedOutcome.AlreadyRecorded },
        { new Snapshot(true, Me, "launched", null, null), null }, // launched after all: changed under us, retry
        { new Snapshot(true, Me, "claiming", null, null), null },
        { new Snapshot(true, null, "claiming", null, null), null }, // runs-fleet's claim stub: not launched yet, retry
        { new Snapshot(true, null, "launched", null, null), RecordJobStartedOutcome.OwnedByOtherInstance },
        { new Snapshot(true, Other, "launched", null, null), RecordJobStartedOutcome.OwnedByOtherInstance },
        { new Snapshot(true, Me, "orphaned", null, null), RecordJobStartedOutcome.NotStartable },
        { new Snapshot(true, Me, "requeued", null, null), RecordJobStartedOutcome.NotStartable },
        { new Snapshot(true, Me, "terminating", null, null), RecordJobStartedOutcome.NotStartable },
        { new Snapshot(true, Me, null, null, null), RecordJobStartedOutcome.NotStartable },
        { new Snapshot(true, Me, "assigned", null, null), RecordJobStartedOutcome.NotStartable },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void Failed_start_is_explained_by_the_record(Snapshot record, RecordJobStartedOutcome? expected)
    {
        Assert.Equal(expected, JobRecordDecisions.AfterFailedStart(record, Me));
    }

    [Theory]
    [InlineData(null, "claiming", true)]
    [InlineData(Me, "claiming", false)]
    [InlineData(null, "launched", false)]
    [InlineData(null, null, false)]
    public void Only_a_claim_stub_without_instance_awaits_its_launch(string? instance, string? status, bool awaits)
    {
        Assert.Equal(awaits, JobRecordDecisions.AwaitsLaunch(new Snapshot(true, instance, status, null, null)));
        Assert.False(JobRecordDecisions.AwaitsLaunch(new Snapshot(false, null, null, null, null)));
    }
}
