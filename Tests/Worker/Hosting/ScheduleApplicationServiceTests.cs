using System.Globalization;
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

        var start = time.GetUtcNow();
        await service.StartAsync(CancellationToken.None);
        // A second at a time: a wait registered after an Advance would otherwise never end.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!service.ExecuteTask!.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the service did not give up within 30 s");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        var waits = logger.Collector.GetSnapshot()
            .Where(r => r.Message.StartsWith("Applying the sweep schedules failed", StringComparison.Ordinal))
            .Select(r => TimeSpan.Parse(r.StructuredState!.Single(p => p.Key == "Delay").Value!, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(ScheduleApplicationService.MaxRetries + 1, store.Attempts);
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256], waits.Select(w => w.TotalSeconds));
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(510));
        Assert.Contains("Giving up applying the sweep schedules after 9 attempts", logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Null(service.LastResults);
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
