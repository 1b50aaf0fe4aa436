using RunsFleet.Activities.Common;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.Sweeps.OrphanedJobs;

/// <summary>OrphanedJobSweep branches replayed from synthetic histories (no server).</summary>
public class OrphanedJobSweepWorkflowReplayTests
{
    internal const string Plan = "PlanOrphanedJobSweep";
    internal const string Page = "ScanOrphanedJobPage";
    internal const string Mark = "MarkOrphanedJobs";
    internal static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Nothing_orphaned_reads_every_status_and_marks_nothing()
    {
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf(statuses: ["running", "assigned"]))
            .ActivityCompleted(Page, PageOf(read: 3, active: 3))
            .ActivityCompleted(Page, PageOf(read: 1, active: 1))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page, Page], replay.ActivityTypes);
        var plan = replay.Activities[0].Arg<OrphanedJobPlanRequest>();
        Assert.InRange(plan.Now, Start, Start.AddSeconds(1));
        Assert.Null(plan.MaxJobs);
        Assert.Equal(["running", "assigned"], Requests(replay).Select(r => r.Status));
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal(SweepAction.Nothing, result.Action);
        Assert.Equal(4, result.JobsRead);
        Assert.Equal(4, result.KeptActive);
        Assert.Equal(0, result.Marked);
        Assert.Empty(result.Jobs);
    }

    [Fact]
    public async Task Marks_every_orphaned_job_in_batches_after_the_whole_scan()
    {
        var input = new OrphanedJobSweepInput { MaxRuntimeMinutes = 120, SlackMinutes = 15, MaxJobs = 10 };
        var jobs = Candidates(1, 3);
        var history = Builder(input)
            .ActivityCompleted(Plan, PlanOf(markBatchSize: 2, maxJobs: 10))
            .ActivityCompleted(Page, PageOf(read: 200, gone: 2, candidates: jobs[..2], next: Cursor(200)))
            .ActivityCompleted(Page, PageOf(read: 5, overAge: 1, candidates: jobs[2..]))
            .ActivityCompleted(Mark, MarkedOf(jobs[..2], deleted: 4))
            .ActivityCompleted(Mark, new OrphanedJobMarkResult([Report(jobs[2], OrphanedJobDecision.LeftAlone)], 0, 0))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page, Page, Mark, Mark], replay.ActivityTypes);
        Assert.Equal(new OrphanedJobPlanRequest(replay.Activities[0].Arg<OrphanedJobPlanRequest>().Now, 120, 15, 10), replay.Activities[0].Arg<OrphanedJobPlanRequest>());
        var requests = Requests(replay);
        Assert.Equal([null, Cursor(200)], requests.Select(r => r.Cursor));
        Assert.Equal([11, 9], requests.Select(r => r.CandidateLimit)); // cap + 1, then what is left of it
        Assert.All(requests, r => Assert.Equal("2026-11-28T05:30:00Z", r.RuntimeCutoff));
        Assert.Equal([jobs[..2], jobs[2..]], replay.Activities.Where(a => a.Type == Mark).Select(a => a.Arg<OrphanedJobMarkRequest>().Jobs.ToArray()));
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal(SweepAction.Act, result.Action);
        Assert.Equal(3, result.OrphanedJobs);
        Assert.Equal(2, result.InstanceGone);
        Assert.Equal(1, result.OverAge);
        Assert.Equal(2, result.Marked);
        Assert.Equal(1, result.LeftAlone);
        Assert.Equal(4, result.ParametersDeleted);
        Assert.Equal([1L, 2, 3], result.Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task Dry_run_reports_what_it_would_mark_and_writes_nothing()
    {
        var jobs = Candidates(1, 2);
        var history = Builder(new OrphanedJobSweepInput { DryRun = true })
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 4, gone: 1, overAge: 1, active: 2, candidates: jobs))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page], replay.ActivityTypes);
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.True(result.DryRun);
        Assert.Equal(SweepAction.DryRun, result.Action);
        Assert.Equal(0, result.Marked);
        Assert.All(result.Jobs, j => Assert.Equal(OrphanedJobDecision.DryRun, j.Decision));
        Assert.All(result.Jobs, j => Assert.StartsWith("dry run, would mark orphaned: ", j.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task More_orphaned_jobs_than_the_cap_marks_none()
    {
        var jobs = Candidates(1, 3);
        var history = Builder(new OrphanedJobSweepInput { MaxJobs = 2 })
            .ActivityCompleted(Plan, PlanOf(maxJobs: 2))
            .ActivityCompleted(Page, PageOf(read: 7, gone: 7, candidates: jobs))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page], replay.ActivityTypes);
        Assert.Equal(3, Requests(replay)[0].CandidateLimit);
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal(SweepAction.CapReached, result.Action);
        Assert.Equal(7, result.OrphanedJobs);
        Assert.Equal(0, result.Marked);
        Assert.Equal(3, result.Jobs.Count);
        Assert.All(result.Jobs, j => Assert.Equal("7 orphaned jobs exceed the cap of 2: none marked", j.Reason));
    }

    [Fact]
    public async Task A_failed_marking_batch_is_reported_and_the_next_batch_still_runs()
    {
        var jobs = Candidates(1, 2);
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf(markBatchSize: 1))
            .ActivityCompleted(Page, PageOf(read: 2, gone: 2, candidates: jobs))
            .ActivityFailed(Mark, "ProvisionedThroughputExceededException", "UpdateItem failed", nonRetryable: false)
            .ActivityCompleted(Mark, MarkedOf(jobs[1..], deleted: 2))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal(1, result.MarkFailed);
        Assert.Equal(1, result.Marked);
        Assert.Equal(OrphanedJobDecision.MarkFailed, result.Jobs[0].Decision);
        Assert.Contains("UpdateItem failed", result.Jobs[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_that_fails_for_good_fails_the_sweep_before_anything_is_marked()
    {
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 200, gone: 1, candidates: Candidates(1, 1), next: Cursor(200)))
            .ActivityFailed(Page, "UnauthorizedOperation", "DescribeInstances failed with UnauthorizedOperation")
            .WorkflowFailed("Activity task failed")
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page, Page], replay.ActivityTypes);
        Assert.IsType<ActivityFailureException>(replay.WorkflowException);
    }

    [Fact]
    public async Task Continues_as_new_after_the_page_budget_carrying_the_scan()
    {
        var input = new OrphanedJobSweepInput();
        var history = Builder(input)
            .ActivityCompleted(Plan, PlanOf(pagesPerRun: 2, statuses: ["running", "assigned"]))
            .ActivityCompleted(Page, PageOf(read: 200, gone: 1, candidates: Candidates(1, 1), next: Cursor(200)))
            .ActivityCompleted(Page, PageOf(read: 50, active: 50))
            .ContinuedAsNew(SweepWorkflowTypes.OrphanedJobSweep, input)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        var progress = SweepContinuation.Read<OrphanedJobSweepContinuation>(replay.ContinuedAsNew!.Arg<OrphanedJobSweepInput>().Continuation)!;
        Assert.Equal(1, progress.StatusIndex); // running is done; assigned is next
        Assert.Null(progress.Cursor);
        Assert.Equal(2, progress.Pages);
        Assert.Equal(250, progress.JobsRead);
        Assert.Equal(Candidates(1, 1), progress.Candidates);
        Assert.Equal(2, progress.Plan.PagesPerRun);
        Assert.Equal(["running", "assigned"], progress.Plan.Statuses);
        Assert.Equal(Start, progress.Plan.Now);
    }

    [Fact]
    public async Task A_continued_run_resumes_the_scan_without_planning_again_then_marks()
    {
        var jobs = Candidates(1, 2);
        var plan = PlanOf(statuses: ["running", "assigned"]);
        var input = new OrphanedJobSweepInput
        {
            Continuation = SweepContinuation.Write(OrphanedJobSweepContinuation.Start(plan) with { StatusIndex = 1, Cursor = Cursor(9, "assigned"), Pages = 3, JobsRead = 600, InstanceGone = 1, Candidates = jobs[..1] }),
        };
        var history = Builder(input)
            .ActivityCompleted(Page, PageOf(read: 1, overAge: 1, candidates: jobs[1..]))
            .ActivityCompleted(Mark, MarkedOf(jobs, deleted: 2))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Page, Mark], replay.ActivityTypes);
        var request = Requests(replay)[0];
        Assert.Equal("assigned", request.Status);
        Assert.Equal(Cursor(9, "assigned"), request.Cursor);
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal(2, result.Runs);
        Assert.Equal(4, result.Pages);
        Assert.Equal(601, result.JobsRead);
        Assert.Equal(2, result.Marked);
        Assert.Equal(plan.Now, result.Now);
    }

    [Fact]
    public async Task Every_looked_up_instance_unknown_to_ec2_marks_nothing_under_the_cap()
    {
        var jobs = Candidates(1, 3);
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf() with { ThresholdCutoff = "2026-11-28T10:00:00Z" })
            .ActivityCompleted(Page, PageOf(read: 3, gone: 3, candidates: jobs) with { InstancesKnown = 0 })
            .PatchMarker(WorkflowPatches.OrphanedJobsUnknownInstances)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page], replay.ActivityTypes); // no mark activity
        Assert.Equal("2026-11-28T10:00:00Z", Requests(replay)[0].ThresholdCutoff);
        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal((SweepAction.InstancesUnknown, 0, 3L, 0L), (result.Action, result.Marked, result.InstancesChecked, result.InstancesKnown));
        Assert.All(result.Jobs, j => Assert.Equal(
            (OrphanedJobDecision.InstancesUnknown, "EC2 knew none of the 3 instances looked up (wrong region or account?): none marked"),
            (j.Decision, j.Reason)));
        Assert.Contains("marked (InstancesUnknown: EC2 knew none of the 3 instances looked up", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_run_records_the_patch_and_takes_the_unknown_instance_path()
    {
        // No terminal step: the task after the page runs live, as on a worker running this release.
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 2, gone: 2, candidates: Candidates(1, 2)))
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page], replay.ActivityTypes);
        Assert.Equal(SweepAction.InstancesUnknown, replay.Result<OrphanedJobSweepResult>().Action);
    }

    [Fact]
    public async Task A_history_from_before_the_unknown_instance_rule_still_replays_its_marks()
    {
        // Recorded by the release before: pages carry no InstancesKnown, no patch marker, and it marked.
        var jobs = Candidates(1, 2);
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 2, gone: 2, candidates: jobs))
            .ActivityCompleted(Mark, MarkedOf(jobs, deleted: 4))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Plan, Page, Mark], replay.ActivityTypes);
        Assert.Equal((SweepAction.Act, 2), (replay.Result<OrphanedJobSweepResult>().Action, replay.Result<OrphanedJobSweepResult>().Marked));
    }

    [Fact]
    public async Task One_instance_known_to_ec2_is_enough_to_mark_and_young_jobs_are_counted()
    {
        var jobs = Candidates(1, 2);
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 5, gone: 2, candidates: jobs) with { InstancesKnown = 1, KeptYoung = 3 })
            .ActivityCompleted(Mark, MarkedOf(jobs, deleted: 4))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        var result = replay.Result<OrphanedJobSweepResult>();
        Assert.Equal((SweepAction.Act, 2, 1L, 3L), (result.Action, result.Marked, result.InstancesKnown, result.KeptYoung));
        Assert.Contains(", 3 young, 2 marked (Mark)", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null, null, "max_runtime_minutes")]
    [InlineData(20000, null, null, "max_runtime_minutes")]
    [InlineData(null, 0, null, "slack_minutes")]
    [InlineData(null, 2000, null, "slack_minutes")]
    [InlineData(null, null, 0, "max_jobs")]
    [InlineData(null, null, 1001, "max_jobs")]
    public async Task Rejects_an_invalid_override_before_touching_anything(int? runtime, int? slack, int? cap, string parameter)
    {
        var history = Builder(new OrphanedJobSweepInput { MaxRuntimeMinutes = runtime, SlackMinutes = slack, MaxJobs = cap })
            .WorkflowFailed(parameter + " must be between", "InvalidInput", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history)).EnsureReplayed();

        Assert.Empty(replay.Activities);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal(FailureTypes.InvalidInput, failure.ErrorType);
        Assert.StartsWith(parameter, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_that_marks_before_the_scan_is_done_is_nondeterministic()
    {
        var jobs = Candidates(1, 1);
        var history = Builder(new OrphanedJobSweepInput())
            .ActivityCompleted(Plan, PlanOf())
            .ActivityCompleted(Page, PageOf(read: 200, gone: 1, candidates: jobs, next: Cursor(200)))
            .ActivityCompleted(Mark, MarkedOf(jobs, deleted: 2))
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<OrphanedJobSweepWorkflow>(history);

        Assert.True(replay.IsNondeterministic);
    }

    internal static HistoryBuilder Builder(OrphanedJobSweepInput input) =>
        new(SweepWorkflowTypes.OrphanedJobSweep, input, workflowId: "sweep-orphaned-jobs", startTime: Start);

    private static List<OrphanedJobScanRequest> Requests(ReplayResult replay) =>
        [.. replay.Activities.Where(a => a.Type == Page).Select(a => a.Arg<OrphanedJobScanRequest>())];

    internal static OrphanedJobSweepPlan PlanOf(int pagesPerRun = 10, int maxJobs = 100, int markBatchSize = 25, string[]? statuses = null) => new OrphanedJobSweepPlan
    {
        Now = Start,
        RuntimeCutoff = "2026-11-28T05:30:00Z",
        CreatedBefore = "2026-11-28T11:50:00Z",
        MaxRuntimeMinutes = 360,
        SlackMinutes = 30,
        MaxJobs = maxJobs,
        Statuses = statuses ?? ["running"],
        PageSize = 200,
        PagesPerRun = pagesPerRun,
        MarkBatchSize = markBatchSize,
    };

    internal static ActiveJobCursor Cursor(int jobId, string status = "running") => new(jobId.ToString(System.Globalization.CultureInfo.InvariantCulture), status, "2026-11-28T01:00:00Z");

    internal static OrphanedJobCandidate[] Candidates(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => new OrphanedJobCandidate(i, $"i-{i:x17}", "running", OrphanCause.InstanceGone, $"instance i-{i:x17} is terminated"))];

    internal static OrphanedJobScanPage PageOf(
        int read, int gone = 0, int overAge = 0, int active = 0, OrphanedJobCandidate[]? candidates = null, ActiveJobCursor? next = null) =>
        new(next, read, read, gone, overAge, active, 0, candidates ?? []);

    internal static OrphanedJobReport Report(OrphanedJobCandidate job, OrphanedJobDecision decision) =>
        new(job.JobId, job.InstanceId, job.Status, job.Cause, decision, job.Reason);

    internal static OrphanedJobMarkResult MarkedOf(OrphanedJobCandidate[] jobs, int deleted) =>
        new([.. jobs.Select(j => Report(j, OrphanedJobDecision.Marked))], deleted, 0);
}
