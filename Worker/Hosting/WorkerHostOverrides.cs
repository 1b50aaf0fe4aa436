using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Worker.Hosting;

/// <summary>Seams for tests and dev mode; production passes none.</summary>
internal sealed record WorkerHostOverrides
{
    /// <summary>AWS options instead of the standard chain (tests point clients at fakes).</summary>
    public AWSOptions? Aws { get; init; }

    /// <summary>Extra registrations on the Temporal worker (after the capabilities).</summary>
    public Action<ITemporalWorkerServiceOptionsBuilder>? ConfigureWorker { get; init; }

    /// <summary>Extra service registrations (after everything else).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
