using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RunsFleet.Hosting;

/// <summary>Writes the file the container health check reads (<see cref="HealthFileOptions"/>): the time of
/// every healthy report, with that modification time. An unhealthy report leaves the file to age; a
/// stop deletes it, so a stopping process is unhealthy at once. The checks are <see cref="IHealthCheck"/>s
/// run by the framework's publisher service (<see cref="HostingServiceCollectionExtensions.AddHealthFile"/>).</summary>
internal sealed class HealthFilePublisher : IHealthCheckPublisher, IHostedService
{
    private readonly HealthFileOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthFilePublisher> _logger;

    // The publisher service may publish once more while the host stops: nothing is written after the delete.
    private readonly Lock _gate = new();
    private bool _stopped;

    public HealthFilePublisher(
        IOptions<HealthFileOptions> options, TimeProvider time, ILogger<HealthFilePublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status != HealthStatus.Healthy)
        {
            var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key);
            _logger.LogWarning(
                "Health checks {Checks} are not healthy; not touching {HealthFile}",
                string.Join(", ", failing),
                _options.Path);
            return Task.CompletedTask;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_stopped)
            {
                Try("write", () =>
                {
                    File.WriteAllText(_options.Path, now.ToString("O", CultureInfo.InvariantCulture));
                    File.SetLastWriteTimeUtc(_options.Path, now.UtcDateTime);
                });
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopped = true;
            Try("delete", () => File.Delete(_options.Path));
        }

        return Task.CompletedTask;
    }

    private void Try(string verb, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Cannot {Verb} health file {HealthFile}", verb, _options.Path);
        }
    }
}
