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
public sealed class HealthFileWriter : BackgroundService
{
    private readonly HealthFileOptions options;
    private readonly IReadOnlyList<IHealthSignal> signals;
    private readonly TimeProvider time;
    private readonly ILogger<HealthFileWriter> logger;

    public HealthFileWriter(
        IOptions<HealthFileOptions> options,
        IEnumerable<IHealthSignal> signals,
        TimeProvider time,
        ILogger<HealthFileWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.signals = signals?.ToList() ?? throw new ArgumentNullException(nameof(signals));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>One check: touches the file when healthy; returns whether it did.</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in this.signals)
        {
            bool healthy;
            try
            {
                healthy = await signal.IsHealthyAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                this.logger.LogWarning(e, "Health signal {Signal} failed", signal.Name);
                healthy = false;
            }

            if (!healthy)
            {
                this.logger.LogWarning("Health signal {Signal} is unhealthy; not touching {HealthFile}", signal.Name, this.options.Path);
                return false;
            }
        }

        var now = this.time.GetUtcNow();
        try
        {
            await File.WriteAllTextAsync(this.options.Path, now.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
            File.SetLastWriteTimeUtc(this.options.Path, now.UtcDateTime);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            this.logger.LogWarning(e, "Cannot write health file {HealthFile}", this.options.Path);
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            File.Delete(this.options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            this.logger.LogWarning(e, "Cannot delete health file {HealthFile}", this.options.Path);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(this.options.Interval, this.time);
        do
        {
            await this.BeatAsync(stoppingToken);
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
