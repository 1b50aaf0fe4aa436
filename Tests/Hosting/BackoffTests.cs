using RunsFleet.Hosting;

namespace RunsFleet.Tests.Hosting;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void The_wait_doubles_from_the_first_and_stops_at_the_cap(int failures, int seconds)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        Assert.Equal(TimeSpan.FromSeconds(seconds), backoff.After(failures));
    }

    [Fact]
    public void Zero_failures_have_no_wait_to_ask_for()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)).After(0));
    }
}
