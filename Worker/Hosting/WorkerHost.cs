using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Registration;
using RunsFleet.Worker.Schedules;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Worker.Hosting;

/// <summary>Builds the worker's generic host: Temporal worker (Temporalio.Extensions.Hosting) with
/// every capability's workflows and activities, DI-registered AWS clients from the standard
/// chain, options from the environment, the EMF metrics sink, the metrics pipeline, the console
/// log format, the health file, the preflight and the schedule application at start; and runs it.</summary>
internal static class WorkerHost
{
    /// <summary>Slack the host gives the Temporal worker beyond its own graceful shutdown.</summary>
    public static readonly TimeSpan HostShutdownSlack = TimeSpan.FromSeconds(5);

    /// <summary>A host builder for <paramref name="settings"/>; build and run it.</summary>
    public static HostApplicationBuilder CreateBuilder(WorkerSettings settings, WorkerHostOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        overrides ??= new WorkerHostOverrides();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.AddRunsFleetConsole();

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout + HostShutdownSlack);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        // The Temporal SDK's metrics (this worker and its client), and the bridge's when dev mode hosts it.
        services.AddRunsFleetMetrics(settings.Telemetry, BridgeMetrics.MeterName);
        OptionsBinder.Register(services, new EnvironmentSettingsReader(settings.Environment),
            WorkerRegistration.OptionsBindings);
        services.AddSingleton<IMetricsSink>(sp => new EmfMetricsSink(sp.GetRequiredService<IOptions<MetricsOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // One per process: OrphanSweep and PoolAudit pages share their sweep's active-job set through it.
        services.AddSingleton(sp => new ActiveJobSetCache(sp.GetRequiredService<TimeProvider>()));
        AddAws(services, builder, overrides);
        // Before the Temporal worker: hosted services start in order, so it has run when polling starts.
        services.AddSingleton<PreflightService>();
        services.AddHostedService(sp => sp.GetRequiredService<PreflightService>());
        AddTemporal(services, settings, overrides);
        services.AddHealthFile(settings.HealthFile)
            .AddCheck<RunningServicesCheck<TemporalWorkerService>>("temporal-worker");
        if (settings.ApplySchedules)
        {
            services.AddHostedService<ScheduleApplicationService>();
        }

        overrides.ConfigureServices?.Invoke(services);
        return builder;
    }

    /// <summary>Runs <paramref name="host"/> until shutdown; <see cref="ExitCodes.Failure"/> when a hosted
    /// service (the Temporal worker above all, e.g. when Temporal is unreachable) ended with an exception.</summary>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Taken before running: RunAsync disposes the host's service provider.
        var services = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (PreflightFailedException)
        {
            // Logged (Critical) by the preflight with its fix; nothing was started.
            return ExitCodes.InvalidConfiguration;
        }

        return services.Any(s => s.ExecuteTask?.IsFaulted == true) ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void AddAws(IServiceCollection services, HostApplicationBuilder builder,
        WorkerHostOverrides overrides)
    {
        // Region, credentials and endpoints (AWS_REGION, AWS_ENDPOINT_URL[_SERVICE], the ECS
        // task role) come from the SDK's standard chain; no settings of our own.
        services.AddDefaultAWSOptions(overrides.Aws ?? builder.Configuration.GetAWSOptions());
        services.AddAWSService<IAmazonDynamoDB>();
        services.AddAWSService<IAmazonSimpleSystemsManagement>();
        services.AddAWSService<IAmazonEC2>();
        services.AddAWSService<IAmazonS3>();
        services.AddAWSService<IAmazonSQS>();
    }

    private static void AddTemporal(IServiceCollection services, WorkerSettings settings, WorkerHostOverrides overrides)
    {
        // One lazily connected client for the worker, the schedule applier and (in dev
        // mode) the SqsBridge; it connects on first use, so building the host needs no server.
        services.AddTemporalClient(settings.Temporal);
        services.AddSingleton<IScheduleStore, TemporalScheduleStore>();
        services.AddSingleton<ScheduleApplier>();

        var worker = services
            .AddHostedTemporalWorker(settings.TaskQueue)
            .ConfigureOptions(o =>
            {
                o.MaxConcurrentActivities = settings.MaxConcurrentActivities;
                // On SIGTERM the worker stops polling and lets running activities finish
                // for this long before cancelling them (they are retried elsewhere).
                o.GracefulShutdownTimeout = settings.ShutdownTimeout;
                o.Interceptors = [.. o.Interceptors ?? [], new ActivityLogScope()];
            })
            .AddCapabilities();
        overrides.ConfigureWorker?.Invoke(worker);
    }
}
