using RunsFleet.Tests.Support.Replay;

namespace RunsFleet.Tests.SupportTests;

public sealed class QueryProbeTests
{
    private static readonly ReplaySampleInput Input = new("i-0abc", 3);

    private static HistoryBuilder Matching(ReplaySampleInput input) => new HistoryBuilder("ReplaySample", input)
        .SearchAttributesUpserted()
        .ActivityCompleted("CountParameters", input.Batch)
        .ActivityCompleted("Cleanup", true);

    [Fact]
    public async Task Asks_the_query_at_each_activity_and_at_the_end()
    {
        var history = Matching(Input).WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch)).Build();

        var (replay, probes) = await ReplayHarness.ReplayWithQueryAsync<ReplaySampleWorkflow>(history, "Phase");

        replay.EnsureReplayed();
        Assert.Equal(
            ["CountParameters=counting", "Cleanup=counting", $"{QueryProbe.Returned}=done"],
            probes.Select(p => $"{p.At}={p.As<string>()}"));
    }

    [Fact]
    public async Task Asks_the_query_when_the_workflow_continues_as_new()
    {
        var history = Matching(Input with { ContinueAfter = true }).ContinuedAsNew("ReplaySample", Input with { Batch = 4 }).Build();

        var (replay, probes) = await ReplayHarness.ReplayWithQueryAsync<ReplaySampleWorkflow>(history, "Phase");

        replay.EnsureReplayed();
        Assert.Equal(QueryProbe.ContinuedAsNew, probes[^1].At);
        Assert.Equal("counting", probes[^1].As<string>());
        Assert.Equal(3, probes.Count);
    }

    [Fact]
    public async Task A_workflow_without_the_query_fails_the_replay()
    {
        var history = Matching(Input).WorkflowCompleted(new ReplaySampleResult("cleaned", 3, DateTime.UnixEpoch)).Build();

        var (replay, probes) = await ReplayHarness.ReplayWithQueryAsync<ReplaySampleWorkflow>(history, "no-such-query");

        Assert.NotNull(replay.ReplayFailure);
        Assert.Empty(probes);
    }
}
