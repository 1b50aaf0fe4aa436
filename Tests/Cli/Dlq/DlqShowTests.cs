using RunsFleet.Hosting;
using System.Text.Json;
using Amazon.SQS.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

public sealed class DlqShowTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    [Fact]
    public async Task Show_by_id_gives_reason_every_problem_group_receive_count_and_the_body_truncated()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: true);
        var poison = await scenario.PutInDlqAsync(DlqScenario.Poison[2].Body, "i-xyz");
        var started = DlqScenario.Samples().Single(s => s.Name == "started").Body;
        var valid = await scenario.PutInDlqAsync(started, DlqScenario.InstanceOf(started));

        var shown = await scenario.Cli().RunAsync("dlq", "show", poison);
        var shownValid = await scenario.Cli().RunAsync("dlq", "show", valid);

        Assert.Equal(ExitCodes.Success, shown.ExitCode);
        Assert.Contains($"{poison}  MalformedInstanceId  group i-xyz  receives 1  sent ", shown.Output, StringComparison.Ordinal);
        Assert.Contains("MalformedInstanceId: instance_id", shown.Output, StringComparison.Ordinal);
        Assert.Contains(DlqScenario.Poison[2].Body, shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(valid, shown.Output, StringComparison.Ordinal);
        Assert.Contains($"{valid}  valid  group {DlqScenario.InstanceOf(started)}", shownValid.Output, StringComparison.Ordinal);
        Assert.Contains(started[..100], shownValid.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(started, shownValid.Output, StringComparison.Ordinal);
        Assert.Contains($"({started.Length} chars; --output json shows it whole)", shownValid.Output, StringComparison.Ordinal);
        Assert.Equal((2, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task Show_by_reason_as_json_gives_only_those_messages_with_whole_bodies_and_attributes()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: false);
        foreach (var (_, body) in DlqScenario.ValidBodies())
        {
            await scenario.PutInDlqAsync(body);
        }

        var notJson = new List<string>();
        foreach (var (code, body) in DlqScenario.Poison.Where(p => p.Code == "NotJson"))
        {
            notJson.Add(await scenario.PutInDlqAsync(body, attributes: new() { ["sender"] = new MessageAttributeValue { DataType = "String", StringValue = "agent-1.2" } }));
        }

        var run = await scenario.Cli().RunAsync("dlq", "show", "--reason", "notjson", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(10, json.RootElement.GetProperty("read").GetInt32());
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(notJson.Order(), messages.Select(m => m.GetProperty("messageId").GetString()!).Order());
        Assert.All(messages, m =>
        {
            Assert.Equal("NotJson", m.GetProperty("reason").GetString());
            Assert.StartsWith("NotJson: ", m.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("agent-1.2", m.GetProperty("attributes").GetProperty("sender").GetString());
            Assert.True(m.GetProperty("receiveCount").GetInt32() >= 1);
        });
        Assert.Equal(DlqScenario.Poison.Where(p => p.Code == "NotJson").Select(p => p.Body).Order(), messages.Select(m => m.GetProperty("body").GetString()!).Order());
        Assert.Equal((10, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task An_unknown_message_id_is_not_found_and_an_unknown_reason_a_usage_error()
    {
        using var scenario = await DlqScenario.CreateAsync(fauxqs, fifo: false);
        await scenario.PutInDlqAsync(DlqScenario.Poison[0].Body);

        var missing = await scenario.Cli().RunAsync("dlq", "show", "00000000-0000-0000-0000-000000000000");
        var badReason = await scenario.Cli().RunAsync("dlq", "show", "--reason", "Bogus");

        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("is not among the 1 message(s) read", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badReason.ExitCode);
        Assert.StartsWith(
            "runs-fleet: --reason: Argument 'Bogus' not recognized. Must be one of: 'valid', 'Oversized', 'NotJson', ",
            badReason.Error,
            StringComparison.Ordinal);
        Assert.Single(badReason.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal((1, 0), await scenario.CountsAsync(scenario.Queues.DeadLetterQueueUrl));
    }
}
