using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.SupportTests;

public sealed class ReplayHarnessTests
{
    private static readonly ReplaySampleInput Input = new("i-0abc", 3);

    // Upsert and the first activity are commands of the first task; each activity result wakes the workflow.
    private static HistoryBuilder Matching(ReplaySampleInput input) => new HistoryBuilder("ReplaySample", input)
        .SearchAttributesUpserted()
        .ActivityCompleted("CountParameters", input.Batch)
        .ActivityCompleted("Cleanup", true);

    [Fact]
    public async Task Matching_history_replays_and_records_activity_arguments_and_result()
    {
        var history = Matching(Input).WorkflowCompleted(new ReplaySampleResult("cleaned", 3, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc))).Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.Equal(["CountParameters", "Cleanup"], replay.ActivityTypes);
        Assert.Equal(Input, replay.Activities[0].Arg<ReplaySampleInput>());
        Assert.Equal("i-0abc", replay.Activities[1].Arg<string>(0));
        Assert.Equal(3, replay.Activities[1].Args[1].GetInt32());
        Assert.Equal("cleaned", replay.Result<ReplaySampleResult>().Outcome);
        Assert.Equal(3, replay.Result<ReplaySampleResult>().Cleaned);
        Assert.Equal("i-0abc", replay.SearchAttributes!.Get(RunsFleetSearchAttributes.InstanceId));
    }

    [Fact]
    public async Task Workflow_time_follows_the_history_clock()
    {
        var start = new DateTimeOffset(2026, 5, 6, 7, 0, 0, TimeSpan.Zero);
        var history = new HistoryBuilder("ReplaySample", Input, startTime: start)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", 3)
            .Advance(TimeSpan.FromHours(2))
            .ActivityCompleted("Cleanup", true)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        var finishedAt = replay.Result<ReplaySampleResult>().FinishedAt;
        Assert.InRange(finishedAt, start.AddHours(2).UtcDateTime, start.AddHours(2).AddSeconds(1).UtcDateTime);
    }

    [Fact]
    public async Task Swapped_activities_are_reported_as_nondeterministic()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .SearchAttributesUpserted()
            .ActivityCompleted("Cleanup", true)
            .ActivityCompleted("CountParameters", 3)
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        Assert.NotNull(replay.ReplayFailure);
        Assert.True(replay.IsNondeterministic, replay.ReplayFailure!.ToString());
        Assert.Throws<InvalidOperationException>(() => replay.EnsureReplayed());
    }

    [Fact]
    public async Task Completed_history_for_code_that_continues_as_new_is_nondeterministic()
    {
        var input = Input with { ContinueAfter = true };
        var history = Matching(input).WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch)).Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replayed without failure");
    }

    [Fact]
    public async Task Continue_as_new_history_replays_and_records_the_next_input()
    {
        var input = Input with { ContinueAfter = true };
        var history = Matching(input).ContinuedAsNew("ReplaySample", input with { ContinueAfter = false, Batch = 4 }).Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.False(replay.Returned);
        Assert.Equal("ReplaySample", replay.ContinuedAsNew!.WorkflowType);
        Assert.Equal(4, replay.ContinuedAsNew.Arg<ReplaySampleInput>().Batch);
        Assert.False(replay.ContinueAsNewArgs[0].GetProperty("ContinueAfter").GetBoolean());
    }

    [Fact]
    public async Task Non_retryable_activity_failure_drives_the_catch_branch()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", 3)
            .ActivityFailed("Cleanup", "NotFound", "instance parameters already deleted")
            .WorkflowCompleted(new ReplaySampleResult("already-gone", 0, DateTime.UnixEpoch))
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.Equal("already-gone", replay.Result<ReplaySampleResult>().Outcome);
    }

    [Fact]
    public async Task Activity_failure_of_another_type_fails_the_workflow_and_is_recorded()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", 3)
            .ActivityFailed("Cleanup", "AccessDeniedException", "denied")
            .WorkflowFailed("Activity task failed", "ActivityFailure")
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        var failure = Assert.IsType<ActivityFailureException>(replay.WorkflowException);
        Assert.Equal("AccessDeniedException", Assert.IsType<ApplicationFailureException>(failure.InnerException).ErrorType);
        Assert.Throws<InvalidOperationException>(() => replay.Result<ReplaySampleResult>());
    }

    [Fact]
    public async Task Missing_search_attribute_upsert_is_reported_as_nondeterministic()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .ActivityCompleted("CountParameters", 3)
            .ActivityCompleted("Cleanup", true)
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replayed without failure");
    }

    [Fact]
    public async Task Activity_result_the_workflow_cannot_read_is_a_replay_failure_but_not_nondeterminism()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", "not-a-number")
            .ActivityCompleted("Cleanup", true)
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        Assert.NotNull(replay.ReplayFailure);
        Assert.False(replay.IsNondeterministic);
    }

    [Fact]
    public async Task Timer_step_replays_and_records_its_duration()
    {
        var input = Input with { WaitMinutes = 5 };
        var history = Matching(input)
            .TimerFired(TimeSpan.FromMinutes(5))
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.Equal([TimeSpan.FromMinutes(5)], replay.Timers);
    }

    [Fact]
    public async Task Missing_timer_is_reported_as_nondeterministic()
    {
        var input = Input with { WaitMinutes = 5 };
        var history = Matching(input).WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch)).Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        Assert.True(replay.IsNondeterministic, replay.ReplayFailure?.ToString() ?? "replayed without failure");
    }

    [Fact]
    public async Task Open_history_runs_the_last_task_live_and_records_what_comes_next()
    {
        var history = new HistoryBuilder("ReplaySample", Input)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", 7)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.Equal(["CountParameters", "Cleanup"], replay.ActivityTypes);
        Assert.Equal(7, replay.Activities[1].Arg<int>(1));
        Assert.False(replay.Returned);
    }

    [Fact]
    public async Task Activity_and_workflow_without_results_replay()
    {
        var history = new HistoryBuilder("ReplayVoidSample", "hello")
            .ActivityCompleted("Notify", null)
            .WorkflowCompleted(null)
            .Build();

        var replay = await ReplayHarness.ReplayAsync<ReplayVoidSampleWorkflow>(history);

        replay.EnsureReplayed();
        Assert.True(replay.Returned);
        Assert.Equal("hello", Assert.Single(replay.Activities).Arg<string>());
    }

    [Fact]
    public async Task Start_search_attributes_are_visible_to_the_workflow()
    {
        var start = new Temporalio.Common.SearchAttributeCollection.Builder()
            .Set(RunsFleetSearchAttributes.JobId, "42")
            .ToSearchAttributeCollection();
        var history = Matching(Input)
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();
        var withStart = new HistoryBuilder("ReplaySample", Input).WithStartSearchAttributes(start)
            .SearchAttributesUpserted()
            .ActivityCompleted("CountParameters", 3)
            .ActivityCompleted("Cleanup", true)
            .WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch))
            .Build();

        var plain = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(history);
        var replay = await ReplayHarness.ReplayAsync<ReplaySampleWorkflow>(withStart);

        replay.EnsureReplayed();
        Assert.Equal("42", replay.SearchAttributes!.Get(RunsFleetSearchAttributes.JobId));
        Assert.Equal("i-0abc", replay.SearchAttributes.Get(RunsFleetSearchAttributes.InstanceId));
        Assert.False(plain.SearchAttributes!.ContainsKey(RunsFleetSearchAttributes.JobId));
    }

    [Fact]
    public void Builder_numbers_events_and_links_references()
    {
        var events = Matching(Input).WorkflowCompleted(null).Build().Events.ToList();

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.EventId));
        var scheduled = events.Where(e => e.ActivityTaskScheduledEventAttributes is not null).ToList();
        Assert.Equal(["1", "2"], scheduled.Select(e => e.ActivityTaskScheduledEventAttributes.ActivityId));
        var completed = events.Where(e => e.ActivityTaskCompletedEventAttributes is not null).ToList();
        Assert.Equal(scheduled.Select(e => e.EventId), completed.Select(e => e.ActivityTaskCompletedEventAttributes.ScheduledEventId));
        Assert.Contains(1u, events[3].WorkflowTaskCompletedEventAttributes.SdkMetadata.CoreUsedFlags);
        Assert.All(events.Where(e => e.WorkflowTaskStartedEventAttributes is not null), e => Assert.NotNull(e.EventTime));
    }
}
