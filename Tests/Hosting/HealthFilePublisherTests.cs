using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RunsFleet.Hosting;

namespace RunsFleet.Tests.Hosting;

public sealed class HealthFilePublisherTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"health-{Guid.NewGuid():N}.health");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task A_healthy_report_writes_the_time_and_sets_the_modification_time()
    {
        using var host = Build(healthy: () => true);

        await Publisher(host).PublishAsync(await CheckAsync(host), CancellationToken.None);

        Assert.Equal("2026-11-28T21:00:00.0000000+00:00", await File.ReadAllTextAsync(_path));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, File.GetLastWriteTimeUtc(_path));
    }

    [Fact]
    public async Task An_unhealthy_or_failing_check_leaves_the_file_untouched()
    {
        using var unhealthy = Build(healthy: () => false);
        using var failing = Build(healthy: () => throw new InvalidOperationException("probe failed"));

        await Publisher(unhealthy).PublishAsync(await CheckAsync(unhealthy), CancellationToken.None);
        await Publisher(failing).PublishAsync(await CheckAsync(failing), CancellationToken.None);

        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task The_file_is_touched_every_interval_while_running_and_deleted_on_stop()
    {
        using var host = Build(healthy: () => true);
        var start = _time.GetUtcNow().UtcDateTime;
        await host.StartAsync();
        await WaitUntil(() => ModifiedAt() == start);

        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => ModifiedAt() == start.AddSeconds(10));
        await host.StopAsync();

        Assert.False(File.Exists(_path));
    }

    [Fact]
    public async Task A_report_published_after_the_stop_writes_nothing()
    {
        using var host = Build(healthy: () => true);
        var publisher = Publisher(host);
        await ((IHostedService)publisher).StopAsync(CancellationToken.None);

        await publisher.PublishAsync(await CheckAsync(host), CancellationToken.None);

        Assert.False(File.Exists(_path));
    }

    private IHost Build(Func<bool> healthy)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddHealthFile(_path)
            .AddCheck("probe", () => healthy() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        // The framework's shortest period: the test waits for the second beat.
        builder.Services.Configure<HealthFileOptions>(o => o.Interval = TimeSpan.FromSeconds(1));
        return builder.Build();
    }

    private static IHealthCheckPublisher Publisher(IHost host) =>
        host.Services.GetServices<IHealthCheckPublisher>().Single();

    private static Task<HealthReport> CheckAsync(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private DateTime? ModifiedAt() => File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : null;

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
