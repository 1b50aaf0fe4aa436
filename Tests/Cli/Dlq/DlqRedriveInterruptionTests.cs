using RunsFleet.Hosting;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

/// <summary>
/// A redrive broken off midway, then run again: every chosen message ends in the source queue
/// exactly once and none is left in the DLQ. 24 valid bodies (3 send batches) and the poison.
/// </summary>
public sealed class DlqRedriveInterruptionTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    private const int Copies = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_lost_before_the_second_send_then_a_rerun_moves_each_message_once(bool fifo)
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo, Copies);
        var faults = new SqsFaults().FailBefore("SendMessageBatch", 2);

        await AssertInterruptedThenResumedAsync(scenario, faults, resumedDeletes: 0);
    }

    [Fact]
    public async Task A_connection_lost_between_a_send_and_its_delete_makes_the_rerun_delete_without_resending()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false, Copies);
        var faults = new SqsFaults().FailBefore("DeleteMessageBatch", 2);

        var resumed = await AssertInterruptedThenResumedAsync(scenario, faults, resumedDeletes: 10);

        Assert.Contains("resuming: 10 message(s) sent by an earlier run are deleted from the DLQ without being sent again", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(10, resumed.Output.Split('\n').Count(l => l.EndsWith("(valid): sent by an earlier run", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ctrl_c_midway_hands_every_unmoved_message_back_and_the_rerun_finishes()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: true, Copies);
        using var interrupt = new CancellationTokenSource();
        var faults = new SqsFaults().CancelBefore("DeleteMessageBatch", 2, interrupt);
        using var breaking = scenario.ClientWith(faults);

        var first = await scenario.Cli(breaking).RunAsync(["dlq", "redrive", "--yes", "--journal", scenario.Journal], interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, first.ExitCode);
        Assert.Contains("interrupted", first.Error, StringComparison.Ordinal);
        var dlq = await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl);
        Assert.Equal((Copies * 8 + 3 - 10, 0), dlq);

        var second = await scenario.Cli().RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, second.ExitCode);
        await AssertMovedOnceAsync(scenario);
    }

    [Fact]
    public async Task A_send_whose_answer_is_lost_is_sent_again_and_fifo_deduplication_drops_the_copy()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: true, Copies);
        var faults = new SqsFaults().FailAfter("SendMessageBatch", 2);

        var resumed = await AssertInterruptedThenResumedAsync(scenario, faults, resumedDeletes: 0);

        // The lost batch was sent twice (10 + 4 on the re-run), yet the source queue holds each body once.
        Assert.Equal(2, faults.Calls("SendMessageBatch"));
        Assert.Contains($"moved {(Copies * 8) - 10} message(s)", resumed.Output, StringComparison.Ordinal);
    }

    private static async Task<CliRun> AssertInterruptedThenResumedAsync(DlqScenario scenario, SqsFaults faults, int resumedDeletes)
    {
        using var breaking = scenario.ClientWith(faults);

        var first = await scenario.Cli(breaking).RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal);

        Assert.NotEqual(ExitCodes.Success, first.ExitCode);
        Assert.Contains("injected: connection reset", first.Error, StringComparison.Ordinal);
        Assert.Contains($"run the same command again to finish (journal {scenario.Journal})", first.Error, StringComparison.Ordinal);
        Assert.Single(first.Error.TrimEnd().Split('\n'));
        var (_, inFlight) = await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl);
        Assert.Equal(0, inFlight);

        var second = await scenario.Cli().RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, second.ExitCode);
        if (resumedDeletes > 0)
        {
            Assert.Contains($", {resumedDeletes} more deleted that an earlier run had sent", second.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("more deleted that an earlier run had sent", second.Output, StringComparison.Ordinal);
        }

        await AssertMovedOnceAsync(scenario);
        return second;
    }

    private static async Task AssertMovedOnceAsync(DlqScenario scenario)
    {
        var moved = await scenario.DrainAsync(scenario.Queues.QueueUrl);
        Assert.Equal(DlqScenario.ValidBodies(Copies).Select(v => v.Body).Order(), moved.Select(m => m.Body).Order());
        var left = await scenario.DrainAsync(scenario.Queues.DeadLetterQueueUrl);
        Assert.Equal(DlqScenario.Poison.Select(p => p.Body).Order(), left.Select(m => m.Body).Order());
    }
}
