using RunsFleet.Hosting.Telemetry;
using RunsFleet.Worker.Schedules;
using Temporalio.Client;

namespace RunsFleet.Worker.Configuration;

/// <summary>Queues of the SqsBridge, which dev mode hosts inside the worker when set.</summary>
public sealed record BridgeQueues(string? TerminationQueueUrl, string? HousekeepingQueueUrl)
{
    /// <summary>True when at least one queue is configured.</summary>
    public bool Any => TerminationQueueUrl is not null || HousekeepingQueueUrl is not null;
}

/// <summary>Ports of the local dev server started by <c>Worker -- dev</c>.</summary>
public sealed record DevServerSettings(string? CliPath, int Port, int UiPort);

/// <summary>Everything the worker reads from its environment, validated.</summary>
public sealed record WorkerSettings
{
    /// <summary>Temporal connection (address, namespace, API key, TLS) from the SDK's ClientEnvConfig.</summary>
    public required TemporalClientConnectOptions Temporal { get; init; }

    public required string TaskQueue { get; init; }

    public required int MaxConcurrentActivities { get; init; }

    /// <summary>Grace period for in-flight activities on shutdown.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    public required string HealthFile { get; init; }

    /// <summary>Where the metrics go (Prometheus, OTLP); none by default.</summary>
    public TelemetrySettings Telemetry { get; init; } = new(WorkerSettingsLoader.ServiceName, null, false);

    /// <summary>Apply the schedules when the worker starts.</summary>
    public required bool ApplySchedules { get; init; }

    public required SweepScheduleSettings Schedules { get; init; }

    public required BridgeQueues Bridge { get; init; }

    public required DevServerSettings DevServer { get; init; }

    /// <summary>Options classes bound from the environment, by type (the bindings the settings were loaded
    /// with).</summary>
    public required IReadOnlyDictionary<Type, object> Options { get; init; }

    /// <summary>The environment the settings were read from (options are registered from it).</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>The bound options of type <typeparamref name="T"/>.</summary>
    public T Get<T>()
        where T : class => Options.TryGetValue(typeof(T), out var value)
            ? (T)value
            : throw new InvalidOperationException($"{typeof(T).Name} has no options binding; add one to the worker's "
                + $"registration");
}
