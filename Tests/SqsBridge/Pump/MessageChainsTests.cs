using Amazon.SQS.Model;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>Which messages of a batch are handled one after another.</summary>
public sealed class MessageChainsTests
{
    [Fact]
    public void On_a_fifo_queue_each_group_is_one_chain_in_receive_order()
    {
        Message[] batch = [In("a", "1"), In("b", "2"), In("a", "3"), In(null, "4"), In("b", "5"), In("a", "6")];

        var chains = MessageChains.Of(batch, fifo: true);

        Assert.Equal([["1", "3", "6"], ["2", "5"], ["4"]], chains.Select(c => c.Select(m => m.MessageId).ToArray()).ToArray());
    }

    [Fact]
    public void On_a_standard_queue_every_message_runs_on_its_own()
    {
        Message[] batch = [In("a", "1"), In("a", "2"), In(null, "3")];

        var chains = MessageChains.Of(batch, fifo: false);

        Assert.Equal([["1"], ["2"], ["3"]], chains.Select(c => c.Select(m => m.MessageId).ToArray()).ToArray());
    }

    private static Message In(string? group, string id) => new()
    {
        MessageId = id,
        Attributes = group is null ? [] : new Dictionary<string, string> { [MessageChains.GroupAttribute] = group },
    };
}
