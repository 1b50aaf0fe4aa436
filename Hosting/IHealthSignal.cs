namespace RunsFleet.Hosting;

/// <summary>
/// Something the health file vouches for (e.g. the Temporal connection). Without any
/// registered signal the file only proves the process is alive and not wedged.
/// </summary>
public interface IHealthSignal
{
    /// <summary>Short name for logs.</summary>
    string Name { get; }

    /// <summary>True when healthy; exceptions count as unhealthy.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
