using System.Text;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using Temporalio.Converters;

namespace RunsFleet.Tests.Workflows.Sweeps;

/// <summary>
/// The sweep inputs moved to Contracts carry their continue-as-new state as JSON. Running histories hold the
/// payloads the typed inputs wrote (below, as they were before the move): the new inputs must write the same
/// bytes through Temporal's converter, and read them back into the same typed state.
/// </summary>
public sealed class SweepContinuationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private static readonly StrayInstanceSweepContinuation Stray = StrayInstanceSweepContinuation.Start(
        new StrayInstanceSweepPlan
        {
            Now = Now,
            Cutoff = Now.AddHours(-6),
            MaxRuntimeMinutes = 360,
            BufferMinutes = 10,
            MaxTerminations = 50,
            PageSize = 100,
            TerminateBatchSize = 25,
            PagesPerRun = 2,
            MaxListedInstances = 5000,
        }) with { Runs = 3 };

    private static readonly OrphanedJobSweepContinuation Orphaned = OrphanedJobSweepContinuation.Start(
        new OrphanedJobSweepPlan
        {
            Now = Now,
            RuntimeCutoff = "2026-11-30T20:00:00Z",
            CreatedBefore = "2026-11-30T19:30:00Z",
            MaxRuntimeMinutes = 360,
            SlackMinutes = 30,
            MaxJobs = 100,
            Statuses = ["assigned", "running"],
            PageSize = 100,
            PagesPerRun = 3,
            MarkBatchSize = 25,
        }) with { StatusIndex = 1, Pages = 3, JobsRead = 600 };

    private static readonly StaleSsmSweepContinuation Stale = new()
    {
        Settings = new StaleSsmSweepPlan { ParameterPrefix = "/runs-fleet/runners/", GraceMinutes = 10, PageSize = 50,
            PagesPerRun = 2 },
        NextToken = "t2",
        Totals = new StaleSsmSweepResult { DryRun = true, Now = Now, Pages = 2, ParametersListed = 100 },
    };

    private static readonly JobArchiveContinuation Archive = new()
    {
        Settings = new JobArchivePlan { RetentionDays = 7, PageSize = 2, PagesPerRun = 3, ArchiveBucket = "b",
            ArchivePrefix = "p" },
        StatusIndex = 1,
        Cursor = new JobPageCursor("9", "failed", "2026-11-01T00:00:00Z"),
        NextPage = 4,
        Totals = new JobArchiveResult { RunKey = "r", Cutoff = "2026-11-21T02:00:00Z" },
    };

    // The continuations and plans were positional records; these are the bytes they wrote (their JSON sits in
    // running histories as continue-as-new input and as the plan activities' results). Computed properties are
    // written too, after the stored ones.
    [Fact]
    public void The_stray_instance_and_orphaned_job_continuations_write_the_bytes_the_positional_records_wrote()
    {
        Assert.Equal("""
        {"Plan":{"Now":"2026-12-01T02:00:00+00:00","Cutoff":"2026-11-30T20:00:00+00:00","MaxRuntimeMinutes":360,"BufferMinutes":10,"MaxTerminations":50,"PageSize":100,"TerminateBatchSize":25,"PagesPerRun":2,"MaxListedInstances":5000,"Phases":null},"NextToken":null,"Runs":3,"Pages":0,"Scanned":0,"Young":0,"OrphanCount":0,"Orphans":[],"Kept":[],"KeptCounts":{"MissingLaunchTime":0,"Protected":0,"ActiveJob":0,"LookupFailed":0,"NoRunnerEvidence":0,"Total":0},"Listing":"Managed","ListsPackerBuilders":false,"ListingDone":false,"PhaseCounts":{"MaxRuntime":0,"UnmanagedProfile":0,"Unclaimed":0,"Completed":0,"AbandonedStopped":0,"PackerBuilder":0,"Total":0},"ScanDone":false,"OrphanIdSlots":51,"ListSlots":5000}
        """, Json(Stray));
        Assert.Equal("""
        {"Plan":{"Now":"2026-12-01T02:00:00+00:00","RuntimeCutoff":"2026-11-30T20:00:00Z","CreatedBefore":"2026-11-30T19:30:00Z","MaxRuntimeMinutes":360,"SlackMinutes":30,"MaxJobs":100,"Statuses":["assigned","running"],"PageSize":100,"PagesPerRun":3,"MarkBatchSize":25,"ThresholdCutoff":null},"StatusIndex":1,"Cursor":null,"Runs":1,"Pages":3,"JobsRead":600,"InstancesChecked":0,"InstanceGone":0,"OverAge":0,"KeptActive":0,"KeptUnreadable":0,"Candidates":[],"InstancesKnown":0,"KeptYoung":0,"ScanDone":false,"Status":"running","OrphanCount":0,"CandidateSlots":101}
        """, Json(Orphaned));
    }

    [Fact]
    public void A_stray_instance_input_with_a_continuation_writes_what_the_typed_input_wrote()
    {
        var input = new StrayInstanceSweepInput
        {
            DryRun = true, MaxTerminations = 5, PagesPerRun = 2, Continuation = SweepContinuation.Write(Stray),
        };
        var old = new OldStrayInstanceSweepInput(true, null, 5, 2, Stray);

        Assert.Equal(Json(old), Json(input));
        Assert.Contains("\"Progress\":{", Json(input), StringComparison.Ordinal);
        Assert.Equal(Json(Stray), Json(SweepContinuation.Read<StrayInstanceSweepContinuation>(RoundTrip(input))));
    }

    [Fact]
    public void An_orphaned_job_input_with_a_continuation_writes_what_the_typed_input_wrote()
    {
        var input = new OrphanedJobSweepInput { MaxJobs = 10, Continuation = SweepContinuation.Write(Orphaned) };
        var old = new OldOrphanedJobSweepInput(false, null, null, 10, Orphaned);

        Assert.Equal(Json(old), Json(input));
        Assert.Contains("\"Progress\":{", Json(input), StringComparison.Ordinal);
        Assert.Equal(Json(Orphaned), Json(SweepContinuation.Read<OrphanedJobSweepContinuation>(RoundTrip(input))));
    }

    [Fact]
    public void A_stale_ssm_input_with_a_continuation_writes_what_the_typed_input_wrote()
    {
        var input = new StaleSsmSweepInput { DryRun = true, GraceMinutes = 30, Continuation = SweepContinuation.Write(Stale) };

        Assert.Equal(Json(new OldStaleSsmSweepInput(true, 30, Stale)), Json(input));
        Assert.Equal(Json(Stale), Json(SweepContinuation.Read<StaleSsmSweepContinuation>(RoundTrip(input))));
    }

    [Fact]
    public void A_job_archive_input_with_a_continuation_writes_what_the_typed_input_wrote()
    {
        var input = new JobArchiveInput { RetentionDays = 9, Continuation = SweepContinuation.Write(Archive) };

        Assert.Equal(Json(new OldJobArchiveInput(false, 9, Archive)), Json(input));
        Assert.Equal(Json(Archive), Json(SweepContinuation.Read<JobArchiveContinuation>(RoundTrip(input))));
    }

    [Fact]
    public void A_trigger_input_writes_a_null_continuation_as_before_and_reads_back_none()
    {
        var input = new StrayInstanceSweepInput { MaxRuntimeMinutes = 400 };

        Assert.Equal(Json(new OldStrayInstanceSweepInput(false, 400, null, null, null)), Json(input));
        Assert.Null(SweepContinuation.Read<StrayInstanceSweepContinuation>(RoundTrip(input)));
    }

    private static string Json(object? value) =>
        Encoding.UTF8.GetString(DataConverter.Default.PayloadConverter.ToPayload(value).Data.ToByteArray());

    private static System.Text.Json.JsonElement? RoundTrip<T>(T input) where T : class
    {
        var converter = DataConverter.Default.PayloadConverter;
        var back = converter.ToValue<T>(converter.ToPayload(input));
        return back switch
        {
            StrayInstanceSweepInput s => s.Continuation,
            OrphanedJobSweepInput o => o.Continuation,
            StaleSsmSweepInput s => s.Continuation,
            JobArchiveInput j => j.Continuation,
            _ => throw new ArgumentException(typeof(T).Name),
        };
    }

    // The inputs as they were in Workflows before the move, property for property (names, order, wire names).
    private sealed record OldStrayInstanceSweepInput(bool DryRun, int? MaxRuntimeMinutes, int? MaxTerminations,
        int? PagesPerRun, [property: JsonPropertyName("Progress")] StrayInstanceSweepContinuation? Continuation);

    private sealed record OldOrphanedJobSweepInput(bool DryRun, int? MaxRuntimeMinutes, int? SlackMinutes, int? MaxJobs,
        [property: JsonPropertyName("Progress")] OrphanedJobSweepContinuation? Continuation);

    private sealed record OldStaleSsmSweepInput(bool DryRun, int? GraceMinutes, StaleSsmSweepContinuation? Continuation);

    private sealed record OldJobArchiveInput(bool DryRun, int? RetentionDays, JobArchiveContinuation? Continuation);
}
