using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Worker.Hosting;
using RunsFleet.Worker.Schedules;
using Temporalio.Client.Schedules;

namespace RunsFleet.Tests.Worker.Hosting;

/// <summary>The schedules applied at start: retried with the one backoff, then given up without stopping the worker.</summary>
public sealed class ScheduleApplicationServiceTests
{
    [Fact]
    public async Task A_failing_server_is_retried_after_2_4_8_seconds_and_so_on_then_given_up()
    {
        var time = new FakeTimeProvider();
        var store = new FailingStore();
        var logger = new FakeLogger<ScheduleApplicationService>();
        using var service = new ScheduleApplicationService(
            new ScheduleApplier(store, new FakeLogger<ScheduleApplier>()), TestEnvironment.Load(), time, logger);

        await service.StartAsync(CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (var retry = 1; retry <= ScheduleApplicationService.MaxRetries; retry++)
        {
            await WaitUntil(() => store.Attempts == retry);
            var wait = ScheduleApplicationService.Backoff.After(retry);
            waits.Add(wait);
            time.Advance(wait);
        }

        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ScheduleApplicationService.MaxRetries + 1, store.Attempts);
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256], waits.Select(w => w.TotalSeconds));
        Assert.Contains("Giving up applying the sweep schedules after 9 attempts", logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Null(service.LastResults);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }

    private sealed class FailingStore : IScheduleStore
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<Schedule?> DescribeAsync(string scheduleId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            throw new InvalidOperationException("Connection refused");
        }

        public Task<bool> TryCreateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Connection refused");

        public Task UpdateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Connection refused");
    }
}
