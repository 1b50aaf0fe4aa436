using RunsFleet.Hosting;
using System.Text.Json;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.SqsBridge.Contracts;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

public sealed class DlqListTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    [Fact]
    public async Task List_counts_per_reason_and_leaves_every_message_in_the_dlq_visible()
    {
        using var scenario = await DlqScenario.CreateFilledAsync(fauxqs, fifo: false);

        var before = await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl);
        var run = await scenario.Cli().RunAsync("dlq", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal((11, 0), before);
        Assert.Equal(before, await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
        Assert.Contains("11 message(s) read from", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\| valid\s+\| 8 ", run.Output);
        Assert.Matches(@"\| NotJson\s+\| 2 ", run.Output);
        Assert.Matches(@"\| MalformedInstanceId\s+\| 1 ", run.Output);
        Assert.Matches(@"\| Total\s+\| 11 ", run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task List_json_of_a_fifo_dlq_filled_through_max_receive_count_gives_counts_and_sent_times()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: true, maxReceiveCount: 1);
        var samples = DlqScenario.ValidBodies().Take(3).ToList();
        foreach (var (name, body) in samples)
        {
            await scenario.DeadLetterThroughSourceAsync(body, name);
        }

        await scenario.DeadLetterThroughSourceAsync(DlqScenario.Poison[2].Body, "poison");

        var run = await scenario.Cli().RunAsync("dlq", "list", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("fifo").GetBoolean());
        Assert.Equal("termination", root.GetProperty("queue").GetString());
        Assert.Equal(4, root.GetProperty("read").GetInt32());
        Assert.Equal(0, root.GetProperty("notRead").GetInt32());
        var reasons = root.GetProperty("reasons").EnumerateArray().ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("messages").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["valid"] = 3, ["MalformedInstanceId"] = 1 }, reasons);
        Assert.True(root.GetProperty("oldestSentAt").GetDateTimeOffset() <= root.GetProperty("newestSentAt").GetDateTimeOffset());
        Assert.Equal((4, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task List_stops_at_max_says_how_many_were_not_read_and_hands_all_back()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: false);
        foreach (var (_, body) in DlqScenario.ValidBodies())
        {
            await scenario.PutInDlqAsync(body);
        }

        var run = await scenario.Cli().RunAsync("dlq", "list", "--max", "5");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("5 message(s) read", run.Output, StringComparison.Ordinal);
        Assert.Contains("about 3 more not read: over --max 5", run.Output, StringComparison.Ordinal);
        Assert.Equal((8, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task The_housekeeping_dlq_is_classified_with_the_housekeeping_parser()
    {
        var queues = await fauxqs.CreateStandardQueueWithDlqAsync("dlq-cli-hk");
        using var sqs = fauxqs.CreateSqsClient();
        await sqs.SendMessageAsync(queues.DeadLetterQueueUrl, File.ReadAllText(Path.Combine(SampleMessages.Folder("housekeeping"), "old-jobs-dry-run.json")));
        await sqs.SendMessageAsync(queues.DeadLetterQueueUrl, "{\"task_type\":\"defrag\",\"timestamp\":\"2026-11-20T02:00:00Z\"}");
        var cli = new CliHarness { Sqs = sqs, Environment = { [BridgeOptions.HousekeepingQueueUrlVariable] = queues.QueueUrl } };

        var run = await cli.RunAsync("dlq", "list", "--queue", "housekeeping", "-o", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var reasons = json.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList();
        Assert.Equal(["valid", "UnknownTaskType"], reasons);
    }

    [Fact]
    public async Task Without_the_queue_variable_it_is_an_invalid_configuration_in_one_line()
    {
        using var sqs = fauxqs.CreateSqsClient();

        var run = await new CliHarness { Sqs = sqs }.RunAsync("dlq", "list");

        Assert.Equal(ExitCodes.InvalidConfiguration, run.ExitCode);
        Assert.Contains(BridgeOptions.TerminationQueueUrlVariable, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_queue_without_a_redrive_policy_has_no_dlq_to_read()
    {
        using var sqs = fauxqs.CreateSqsClient();
        var url = (await sqs.CreateQueueAsync($"no-dlq-{Guid.NewGuid():N}")).QueueUrl;

        var run = await new CliHarness { Sqs = sqs, Environment = { [BridgeOptions.TerminationQueueUrlVariable] = url } }.RunAsync("dlq", "list");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("has no RedrivePolicy", run.Error, StringComparison.Ordinal);
    }
}
