using RunsFleet.Hosting;
using System.Text.Json;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Tests.Cli.Sweeps;

public class SweepWatchTests
{
    private static FakeTemporalClient Scripted(object result, params SweepProgressView[] progress)
    {
        var temporal = new FakeTemporalClient();
        temporal.OnStart = workflow => workflow
            .AnswersProgress(progress)
            .ClosesAfterProgressWith(SweepSamples.Completed(workflow.Id, result));
        return temporal;
    }

    private static SweepProgressView[] Moving() =>
    [
        SweepSamples.Progress(SweepPhases.Scanning, 500, 0, null),
        SweepSamples.Progress(SweepPhases.Scanning, 500, 0, null),
        SweepSamples.Progress(SweepPhases.Acting, 1200, 1, 3, protectedCount: 7, pages: 3),
        SweepSamples.Progress(SweepPhases.Done, 1200, 3, 3, protectedCount: 7, pages: 3),
    ];

    [Fact]
    public async Task In_text_mode_watch_prints_one_line_per_change_then_the_result_and_exits_0_when_clean()
    {
        var temporal = Scripted(SweepSamples.Clean(), Moving());

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--yes", "--watch");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("started the orphans sweep sweep-orphans", lines[0], StringComparison.Ordinal);
        Assert.Equal(
        [
            "scanning: pages 1, examined 500, acted on 0, skipped 250 (young 250), errors 0",
            "acting: pages 3, examined 1200, acted on 1/3, skipped 607 (protected 7, young 600), errors 0",
            "done: pages 3, examined 1200, acted on 3/3, skipped 607 (protected 7, young 600), errors 0",
            "Completed: 3 orphans terminated",
        ], lines[1..5]);
        Assert.Contains("| orphans found    | 3     |", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("problem:", run.Output, StringComparison.Ordinal);
        // Four answers, and maybe one more query when the result arrives after the last answer was read.
        Assert.InRange(temporal.Workflows[0].ProgressQueries, 4, 5);
    }

    [Fact]
    public async Task A_result_that_reached_the_cap_exits_7_and_names_the_problem()
    {
        var temporal = Scripted(SweepSamples.CapReached(), SweepSamples.Progress(SweepPhases.Done, 1200, 0, 0));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--max", "2", "--yes", "--watch");

        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        Assert.Contains("problem: cap reached: 5 orphans found, more than --max 2; none was terminated", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kept_instances_whose_jobs_could_not_be_looked_up_exit_7()
    {
        var result = SweepSamples.Result(RunsFleet.Activities.Sweeps.Orphans.OrphanAction.Terminate, 1, 1, "1 orphan terminated", kept: new(LookupFailed: 4));
        var temporal = Scripted(result, SweepSamples.Progress(SweepPhases.Done, 10, 1, 1));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--yes", "--watch");

        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        Assert.Contains("problem: 4 instance(s) kept because their jobs could not be looked up", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sweep_exits_1_with_the_failure()
    {
        var temporal = new FakeTemporalClient();
        temporal.OnStart = workflow => workflow
            .AnswersProgress(SweepSamples.Progress(SweepPhases.Scanning, 10, 0, null))
            .ClosesAfterProgressWith(SweepSamples.Failed(workflow.Id, "DescribeInstances: UnauthorizedOperation"));

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--dry-run", "--watch");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Failed: DescribeInstances: UnauthorizedOperation", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_json_mode_watch_prints_only_the_final_document()
    {
        var temporal = Scripted(SweepSamples.Clean(), Moving());

        var run = await new CliHarness { Temporal = temporal }.RunAsync("sweep", "run", "orphans", "--yes", "--watch", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("Completed", root.GetProperty("outcome").GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("outcome").GetProperty("exitCode").GetInt32());
        Assert.Equal(3, root.GetProperty("outcome").GetProperty("result").GetProperty("terminated").GetInt32());
        Assert.Equal("done", root.GetProperty("progress").GetProperty("phase").GetString());
        Assert.Equal(3, root.GetProperty("progress").GetProperty("actTarget").GetInt64());
    }

    [Fact]
    public async Task On_a_terminal_watch_draws_a_live_display_with_a_bar_once_the_target_is_known()
    {
        var temporal = Scripted(SweepSamples.Clean(), Moving());

        var run = await new CliHarness { Temporal = temporal, IsTerminal = true }.RunAsync("sweep", "run", "orphans", "--yes", "--watch");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("orphans: done: pages 3, examined 1200, acted on 3/3", run.Output, StringComparison.Ordinal);
        Assert.Contains("100%", run.Output, StringComparison.Ordinal);
        Assert.Contains("━", run.Output, StringComparison.Ordinal);
        Assert.Contains("Completed: 3 orphans terminated", run.Output, StringComparison.Ordinal);
        Assert.Contains("╭", run.Output, StringComparison.Ordinal);
    }
}
