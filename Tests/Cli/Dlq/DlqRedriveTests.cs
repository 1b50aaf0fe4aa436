using RunsFleet.Hosting;
using System.Text.Json;
using Amazon.SQS.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

public sealed class DlqRedriveTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    [Fact]
    public async Task Redrive_without_yes_is_refused_and_moves_nothing()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.ConfirmationRequired, run.ExitCode);
        Assert.Contains("nothing was changed; add --yes", run.Error, StringComparison.Ordinal);
        Assert.Equal((11, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
        Assert.Equal((0, 0), await scenario.CountsAsync(scenario.Queues.QueueUrl));
        Assert.False(File.Exists(scenario.Journal));
    }

    [Fact]
    public async Task A_dry_run_names_what_would_move_and_moves_nothing()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--dry-run", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(8, run.Output.Split('\n').Count(l => l.StartsWith("would move ", StringComparison.Ordinal) && l.EndsWith("(valid)", StringComparison.Ordinal)));
        Assert.Contains("dry run: would move 8 message(s) (valid)", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 other(s) would stay; nothing was changed", run.Output, StringComparison.Ordinal);
        Assert.Equal((11, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
        Assert.Equal((0, 0), await scenario.CountsAsync(scenario.Queues.QueueUrl));
        Assert.False(File.Exists(scenario.Journal));
    }

    [Fact]
    public async Task Redrive_moves_the_valid_messages_once_each_and_leaves_the_poison_in_the_dlq()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("moved 8 message(s) (valid, send-then-delete)", run.Output, StringComparison.Ordinal);
        Assert.Equal(8, run.Output.Split('\n').Count(l => l.StartsWith("moved ", StringComparison.Ordinal) && l.EndsWith("(valid)", StringComparison.Ordinal)));
        var moved = await scenario.DrainAsync(scenario.Queues.QueueUrl);
        Assert.Equal(DlqScenario.ValidBodies().Select(v => v.Body).Order(), moved.Select(m => m.Body).Order());
        var left = await scenario.DrainAsync(scenario.Queues.DeadLetterQueueUrl);
        Assert.Equal(DlqScenario.Poison.Select(p => p.Body).Order(), left.Select(m => m.Body).Order());
        var journal = File.ReadAllLines(scenario.Journal);
        Assert.Equal(8, journal.Count(l => l.Contains("\"step\":\"sent\"", StringComparison.Ordinal)));
        Assert.Equal(8, journal.Count(l => l.Contains("\"step\":\"deleted\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Redrive_to_a_fifo_queue_keeps_group_ids_order_within_a_group_and_attributes()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: true);
        var attribute = new Dictionary<string, MessageAttributeValue> { ["agent"] = new() { DataType = "String", StringValue = "runs-fleet-agent 2.4.1" } };
        foreach (var (_, body) in DlqScenario.ValidBodies())
        {
            await scenario.PutInDlqAsync(body, DlqScenario.InstanceOf(body), attribute);
        }

        foreach (var (_, body) in DlqScenario.Poison)
        {
            await scenario.PutInDlqAsync(body);
        }

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal, "-o", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var summary = JsonDocument.Parse(run.Output);
        Assert.Equal(8, summary.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("notChosen").GetInt32());
        var moved = await scenario.DrainAsync(scenario.Queues.QueueUrl);
        Assert.Equal(DlqScenario.ValidBodies().Select(v => v.Body).Order(), moved.Select(m => m.Body).Order());
        Assert.All(moved, m => Assert.Equal(DlqScenario.InstanceOf(m.Body), m.GroupId));
        Assert.All(moved, m => Assert.Equal("runs-fleet-agent 2.4.1", m.Attributes["agent"].StringValue));
        var sameInstance = moved.Where(m => m.GroupId == "i-0b3c5d7e9f1a2b4c6").Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("status").GetString()).ToList();
        Assert.Equal(["started", "success"], sameInstance);
        Assert.Equal(3, (await scenario.DrainAsync(scenario.Queues.DeadLetterQueueUrl)).Count);
    }

    [Fact]
    public async Task Redrive_by_reason_moves_only_that_rejection()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--reason", "NotJson", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var moved = await scenario.DrainAsync(scenario.Queues.QueueUrl);
        Assert.Equal(DlqScenario.Poison.Where(p => p.Code == "NotJson").Select(p => p.Body).Order(), moved.Select(m => m.Body).Order());
        Assert.Equal((9, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task Redrive_all_falls_back_to_send_then_delete_where_sqs_has_no_move_task()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: true);

        var run = await scenario.Cli().RunAsync("dlq", "redrive", "--all", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("note: SQS here has no StartMessageMoveTask (InvalidAction); moving message by message", run.Output, StringComparison.Ordinal);
        Assert.Contains("moved 11 message(s) (all, send-then-delete)", run.Output, StringComparison.Ordinal);
        var moved = await scenario.DrainAsync(scenario.Queues.QueueUrl);
        Assert.Equal(DlqScenario.ValidBodies().Select(v => v.Body).Concat(DlqScenario.Poison.Select(p => p.Body)).Order(), moved.Select(m => m.Body).Order());
        Assert.Equal((0, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task Redrive_all_uses_an_sqs_move_task_where_there_is_one_and_follows_it_to_the_end()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);
        var lists = 0;
        var faults = new SqsFaults()
            .Answer("StartMessageMoveTask", _ => "{\"TaskHandle\":\"task-1\"}")
            .Answer("ListMessageMoveTasks", _ => ++lists < 3
                ? "{\"Results\":[{\"TaskHandle\":\"task-1\",\"Status\":\"RUNNING\",\"ApproximateNumberOfMessagesMoved\":4,\"ApproximateNumberOfMessagesToMove\":11}]}"
                : "{\"Results\":[{\"Status\":\"COMPLETED\",\"ApproximateNumberOfMessagesMoved\":11,\"ApproximateNumberOfMessagesToMove\":11}]}");
        using var sqs = scenario.ClientWith(faults);

        var run = await scenario.Cli(sqs).RunAsync("dlq", "redrive", "--all", "--yes", "-o", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var start = faults.Requests.Single(r => r.Operation == "StartMessageMoveTask").Body;
        var arns = (await scenario.Sqs.GetQueueAttributesAsync(scenario.Queues.QueueUrl, ["QueueArn", "RedrivePolicy"])).Attributes;
        using (var request = JsonDocument.Parse(start))
        {
            Assert.Equal(arns["QueueArn"], request.RootElement.GetProperty("DestinationArn").GetString());
            Assert.Contains(request.RootElement.GetProperty("SourceArn").GetString()!, arns["RedrivePolicy"], StringComparison.Ordinal);
        }

        using var summary = JsonDocument.Parse(run.Output);
        Assert.Equal("message-move-task", summary.RootElement.GetProperty("method").GetString());
        Assert.Equal(11, summary.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(3, faults.Calls("ListMessageMoveTasks"));
        Assert.Equal(0, faults.Calls("SendMessageBatch") + faults.Calls("ReceiveMessage"));
    }

    [Fact]
    public async Task On_a_terminal_redrive_draws_a_progress_bar()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var run = await scenario.Cli(terminal: true).RunAsync("dlq", "redrive", "--yes", "--journal", scenario.Journal);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("redrive valid", run.Output, StringComparison.Ordinal);
        Assert.Contains("100%", run.Output, StringComparison.Ordinal);
        Assert.Equal(8, (await scenario.DrainAsync(scenario.Queues.QueueUrl)).Count);
    }
}
