using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RunsFleet.Hosting;

/// <summary>
/// Touches the health file every interval while every <see cref="IHealthSignal"/> is healthy,
/// and deletes it on shutdown so a stopping process is unhealthy at once. Shared by the
/// Worker and the SqsBridge, which add it with <see cref="HostingServiceCollectionExtensions.AddHealthFile"/>.
/// </summary>
internal sealed class HealthFileWriter : BackgroundService
{
    private readonly HealthFileOptions _options;
    private readonly IReadOnlyList<IHealthSignal> _signals;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthFileWriter> _logger;

    public HealthFileWriter(
        IOptions<HealthFileOptions> options,
        IEnumerable<IHealthSignal> signals,
        TimeProvider time,
        ILogger<HealthFileWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _signals = signals?.ToList() ?? throw new ArgumentNullException(nameof(signals));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>One check: touches the file when healthy; returns whether it did.</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in _signals)
        {
            bool healthy;
            try
            {
                healthy = await signal.IsHealthyAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Health signal {Signal} failed", signal.Name);
                healthy = false;
            }

            if (!healthy)
            {
                _logger.LogWarning("Health signal {Signal} is unhealthy; not touching {HealthFile}", signal.Name, _options.Path);
                return false;
            }
        }

        var now = _time.GetUtcNow();
        try
        {
            await File.WriteAllTextAsync(_options.Path, now.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
            File.SetLastWriteTimeUtc(_options.Path, now.UtcDateTime);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Cannot write health file {HealthFile}", _options.Path);
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            File.Delete(_options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Cannot delete health file {HealthFile}", _options.Path);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            await BeatAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
