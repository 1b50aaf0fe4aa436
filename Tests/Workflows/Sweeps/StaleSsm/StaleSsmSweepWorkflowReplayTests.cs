using RunsFleet.Activities.Common;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.Sweeps.StaleSsm;

/// <summary>StaleSsmSweep branches replayed from synthetic histories (no server).</summary>
public class StaleSsmSweepWorkflowReplayTests
{
    internal const string Settings = "GetStaleSsmSettings";
    internal const string Page = "SweepStaleParameterPage";
    internal static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Dry_run_sweeps_one_page_and_reports_what_it_would_delete()
    {
        var input = new StaleSsmSweepInput { DryRun = true };
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 10))
            .ActivityCompleted(Page, new StaleSsmSweepPageResult
            {
                Listed = 3,
                StaleNames = ["/runs-fleet/runners/i-0abc1234/config"],
                KeptInstanceAlive = 1,
                UnparseableNames = ["/runs-fleet/runners/odd"],
            })
            .WorkflowCompleted(new StaleSsmSweepResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Settings, Page], replay.ActivityTypes);
        Assert.Null(replay.Activities[0].Arg<int?>());
        var request = replay.Activities[1].Arg<StaleSsmSweepPageRequest>();
        Assert.True(request.DryRun);
        Assert.Null(request.NextToken);
        Assert.Equal("/runs-fleet/runners/", request.ParameterPrefix);
        Assert.Equal(10, request.GraceMinutes);
        Assert.InRange(request.Now, Start, Start.AddSeconds(1));
        Assert.Equal(ActivityPolicies.SweepPage.HeartbeatTimeout, replay.Activities[1].Options.HeartbeatTimeout);
        var result = replay.Result<StaleSsmSweepResult>();
        Assert.True(result.DryRun);
        Assert.Equal(1, result.StaleParameters);
        Assert.Equal(0, result.ParametersDeleted);
        Assert.Equal(["/runs-fleet/runners/i-0abc1234/config"], result.StaleNames);
        Assert.Equal(["/runs-fleet/runners/odd"], result.UnparseableNames);
        Assert.Equal(1, result.Runs);
    }

    [Fact]
    public async Task Follows_the_listing_token_page_after_page_with_one_clock()
    {
        var input = new StaleSsmSweepInput { GraceMinutes = 30 };
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 10, grace: 30))
            .Advance(TimeSpan.FromMinutes(3))
            .ActivityCompleted(Page, PageOf(deleted: 50, next: "t1"))
            .Advance(TimeSpan.FromMinutes(3))
            .ActivityCompleted(Page, PageOf(deleted: 50, next: "t2"))
            .ActivityCompleted(Page, PageOf(deleted: 7, next: null))
            .WorkflowCompleted(new StaleSsmSweepResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal(30, replay.Activities[0].Arg<int?>());
        var requests = replay.Activities.Skip(1).Select(a => a.Arg<StaleSsmSweepPageRequest>()).ToList();
        Assert.Equal([null, "t1", "t2"], requests.Select(r => r.NextToken));
        Assert.Single(requests.Select(r => r.Now).Distinct());
        Assert.All(requests, r => Assert.Equal(30, r.GraceMinutes));
        Assert.All(requests, r => Assert.False(r.DryRun));
        var result = replay.Result<StaleSsmSweepResult>();
        Assert.Equal(3, result.Pages);
        Assert.Equal(107, result.ParametersDeleted);
        Assert.Equal(107, result.StaleParameters);
        Assert.Equal(requests[0].Now, result.Now);
    }

    [Fact]
    public async Task Continues_as_new_after_the_configured_number_of_pages()
    {
        var input = new StaleSsmSweepInput();
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 2))
            .ActivityCompleted(Page, PageOf(deleted: 50, next: "t1"))
            .ActivityCompleted(Page, PageOf(deleted: 40, next: "t2"))
            .ContinuedAsNew(SweepWorkflowTypes.StaleSsmSweep, input)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Settings, Page, Page], replay.ActivityTypes);
        var next = replay.ContinuedAsNew!.Arg<StaleSsmSweepInput>();
        Assert.Equal(SweepWorkflowTypes.StaleSsmSweep, replay.ContinuedAsNew.WorkflowType);
        var continuation = next.Continuation!;
        Assert.Equal("t2", continuation.NextToken);
        Assert.Equal(SettingsOf(pagesPerRun: 2), continuation.Settings);
        Assert.Equal(2, continuation.Totals.Pages);
        Assert.Equal(90, continuation.Totals.ParametersDeleted);
        Assert.Equal(replay.Activities[1].Arg<StaleSsmSweepPageRequest>().Now, continuation.Totals.Now);
    }

    [Fact]
    public async Task A_continued_run_resumes_at_the_token_with_the_first_runs_clock_and_totals()
    {
        var firstNow = Start.AddHours(-1);
        var input = new StaleSsmSweepInput
        {
            DryRun = true,
            Continuation = new StaleSsmSweepContinuation
            {
                Settings = SettingsOf(pagesPerRun: 2),
                NextToken = "t2",
                Totals = new StaleSsmSweepResult { DryRun = true, Now = firstNow, Pages = 2, ParametersListed = 100, StaleParameters = 90, GraceMinutes = 10 },
            },
        };
        var history = Builder(input)
            .ActivityCompleted(Page, PageOf(deleted: 0, next: null, stale: 5))
            .WorkflowCompleted(new StaleSsmSweepResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Equal([Page], replay.ActivityTypes); // settings are not read again
        var request = replay.Activities[0].Arg<StaleSsmSweepPageRequest>();
        Assert.Equal("t2", request.NextToken);
        Assert.Equal(firstNow, request.Now);
        Assert.True(request.DryRun);
        var result = replay.Result<StaleSsmSweepResult>();
        Assert.Equal(2, result.Runs);
        Assert.Equal(3, result.Pages);
        Assert.Equal(95, result.StaleParameters);
        Assert.Equal(firstNow, result.Now);
    }

    [Fact]
    public async Task Does_not_continue_as_new_when_the_last_page_fills_the_budget()
    {
        var input = new StaleSsmSweepInput();
        var history = Builder(input)
            .ActivityCompleted(Settings, SettingsOf(pagesPerRun: 2))
            .ActivityCompleted(Page, PageOf(deleted: 50, next: "t1"))
            .ActivityCompleted(Page, PageOf(deleted: 3, next: null))
            .WorkflowCompleted(new StaleSsmSweepResult())
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Null(replay.ContinuedAsNew);
        Assert.Equal(53, replay.Result<StaleSsmSweepResult>().ParametersDeleted);
    }

    [Fact]
    public async Task A_history_that_skips_the_settings_activity_is_nondeterministic()
    {
        var history = Builder(new StaleSsmSweepInput())
            .ActivityCompleted(Page, PageOf(deleted: 1, next: null))
            .WorkflowCompleted(new StaleSsmSweepResult())
            .Build();

        var replay = await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history);

        Assert.True(replay.IsNondeterministic);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(20000)]
    public async Task Rejects_an_invalid_grace_period_before_touching_anything(int grace)
    {
        var history = Builder(new StaleSsmSweepInput { GraceMinutes = grace })
            .WorkflowFailed("grace_minutes must be between", "InvalidInput", nonRetryable: true)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<StaleSsmSweepWorkflow>(history)).EnsureReplayed();

        Assert.Empty(replay.Activities);
        var failure = Assert.IsType<ApplicationFailureException>(replay.WorkflowException);
        Assert.Equal(FailureTypes.InvalidInput, failure.ErrorType);
    }

    internal static HistoryBuilder Builder(StaleSsmSweepInput input) =>
        new(SweepWorkflowTypes.StaleSsmSweep, input, workflowId: "sweep-stale-ssm", startTime: Start);

    internal static StaleSsmSweepPlan SettingsOf(int pagesPerRun, int grace = 10) => new()
    {
        ParameterPrefix = "/runs-fleet/runners/",
        GraceMinutes = grace,
        PageSize = 50,
        PagesPerRun = pagesPerRun,
    };

    internal static StaleSsmSweepPageResult PageOf(int deleted, string? next, int? stale = null) => new()
    {
        NextToken = next,
        Listed = 50,
        StaleNames = [.. Enumerable.Range(0, stale ?? deleted).Select(i => $"/runs-fleet/runners/i-{i:x17}/config")],
        Deleted = deleted,
    };
}
