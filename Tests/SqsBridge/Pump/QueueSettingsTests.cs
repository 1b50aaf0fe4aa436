using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.Tests.SqsBridge.Pump;

/// <summary>What the pump reads from its queue's attributes before it takes a message.</summary>
public sealed class QueueSettingsTests
{
    [Theory]
    [InlineData("""{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":3}""", 3, 2)]
    [InlineData("""{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":"5"}""", 5, 4)]
    [InlineData("""{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":1}""", 1, 1)]
    public void The_redrive_policy_gives_the_receive_count_from_which_valid_messages_are_held(string policy, int maxReceiveCount, int holdFrom)
    {
        var settings = QueueSettings.From(new Dictionary<string, string> { ["RedrivePolicy"] = policy, ["VisibilityTimeout"] = "60" }, "q", "termination");

        Assert.Equal(maxReceiveCount, settings.MaxReceiveCount);
        Assert.Equal(holdFrom, settings.HoldFromReceiveCount);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.VisibilityTimeout);
        Assert.False(settings.IsFifo);
    }

    [Fact]
    public void A_fifo_queue_is_recognised_and_a_zero_visibility_is_raised_to_one_second()
    {
        var settings = QueueSettings.From(
            new Dictionary<string, string> { ["RedrivePolicy"] = """{"maxReceiveCount":3}""", ["VisibilityTimeout"] = "0", ["FifoQueue"] = "true" }, "q", "termination");

        Assert.True(settings.IsFifo);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.VisibilityTimeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"deadLetterTargetArn":"arn"}""")]
    [InlineData("""{"maxReceiveCount":0}""")]
    [InlineData("""{"maxReceiveCount":true}""")]
    public void A_queue_without_a_usable_redrive_policy_is_refused(string? policy)
    {
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "30" };
        if (policy is not null)
        {
            attributes["RedrivePolicy"] = policy;
        }

        var e = Assert.Throws<BridgeStartupException>(() => QueueSettings.From(attributes, "https://sqs/q", "termination"));

        Assert.Contains("https://sqs/q", e.Message, StringComparison.Ordinal);
    }
}
