using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Hosting;

namespace RunsFleet.Tests.Hosting;

public sealed class HealthFileWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"health-{Guid.NewGuid():N}.health");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task A_beat_writes_the_time_and_sets_the_modification_time()
    {
        var writer = Writer();

        Assert.True(await writer.BeatAsync(CancellationToken.None));

        Assert.Equal("2026-11-28T21:00:00.0000000+00:00", await File.ReadAllTextAsync(_path));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, File.GetLastWriteTimeUtc(_path));
    }

    [Fact]
    public async Task An_unhealthy_or_failing_signal_leaves_the_file_untouched()
    {
        Assert.False(await Writer(new Signal(false)).BeatAsync(CancellationToken.None));
        Assert.False(await Writer(new Signal(null)).BeatAsync(CancellationToken.None));

        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task The_file_is_touched_every_interval_while_running_and_deleted_on_stop()
    {
        var writer = Writer();
        var start = _time.GetUtcNow().UtcDateTime;
        await writer.StartAsync(CancellationToken.None);
        await WaitUntil(() => ModifiedAt() == start);

        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => ModifiedAt() == start.AddSeconds(10));
        await writer.StopAsync(CancellationToken.None);

        Assert.False(File.Exists(_path));
    }

    private DateTime? ModifiedAt() => File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : null;

    private HealthFileWriter Writer(params IHealthSignal[] signals) => new(
        Options.Create(new HealthFileOptions { Path = _path, Interval = TimeSpan.FromSeconds(10) }),
        signals,
        _time,
        NullLogger<HealthFileWriter>.Instance);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class Signal(bool? healthy) : IHealthSignal
    {
        public string Name => "test";

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
            healthy is bool value ? Task.FromResult(value) : throw new InvalidOperationException("probe failed");
    }
}
