using RunsFleet.Contracts.Common;
using RunsFleet.Hosting;

namespace RunsFleet.SqsBridge.Configuration;

/// <summary>Settings of the SQS bridge. Production values come from environment variables
/// (<see cref="FromEnvironment"/>); the timing knobs exist so tests can run in milliseconds.</summary>
public sealed record BridgeOptions
{
    public const string TerminationQueueUrlVariable = "RUNS_FLEET_TERMINATION_QUEUE_URL";
    public const string HousekeepingQueueUrlVariable = "RUNS_FLEET_HOUSEKEEPING_QUEUE_URL";
    public const string TaskQueueVariable = "RUNS_FLEET_TASK_QUEUE";
    public const string MaxConcurrencyVariable = "RUNS_FLEET_BRIDGE_MAX_CONCURRENCY";
    public const string ShutdownSecondsVariable = "RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS";
    public const string MaxMessageBytesVariable = "RUNS_FLEET_MAX_MESSAGE_BYTES";

    /// <summary>Termination queue, standard or FIFO (required).</summary>
    public required string TerminationQueueUrl { get; init; }

    /// <summary>Housekeeping queue; null means only termination messages are bridged.</summary>
    public string? HousekeepingQueueUrl { get; init; }

    /// <summary>Temporal task queue the started workflows run on.</summary>
    public string TaskQueue { get; init; } = TaskQueues.Default;

    /// <summary>Most messages in hand at once, per queue: being started, or held while a start is
    /// retried. 500 keeps ~15,000 starts/s going at 20 ms a start with three receivers (one per
    /// 100 slots), more than one fauxqs queue delivers to a raw loop here (the README's bridge
    /// benchmark); a receive waits for 10 free.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Default of <see cref="MaxConcurrency"/>.</summary>
    public const int DefaultMaxConcurrency = 500;

    /// <summary>On stop, how long the long poll under way and the in-flight starts may still take (the
    /// poll is never cut short, so keep this above <see cref="ReceiveWaitSeconds"/>).</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Largest message body accepted (checked before parsing).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Longest a delete (or hand-back) waits for nine more to share its batch call: a busy queue
    /// pays one DeleteMessageBatch per ten messages, a quiet one deletes a moment later.</summary>
    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>SQS long-poll wait (20 s, the SQS maximum: fewest empty receives).</summary>
    public int ReceiveWaitSeconds { get; init; } = 20;

    /// <summary>First wait before retrying a failed start (or a failed receive).</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the exponential backoff.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retry waits: <see cref="BackoffInitial"/>, doubled per failure, at most <see
    /// cref="BackoffMax"/>.</summary>
    public Backoff Backoff => new(BackoffInitial, BackoffMax);

    /// <summary>Liveness file the standalone bridge touches while its pumps run (RUNS_FLEET_HEALTH_FILE).</summary>
    public string HealthFile { get; init; } = HealthFileOptions.DefaultPath;

    /// <summary>Reads and validates the RUNS_FLEET_* variables; throws one
    /// <see cref="SettingsException"/> naming every problem (including any the reader
    /// collected before, e.g. from <see cref="TemporalConnectionSettings.Load"/>).</summary>
    public static BridgeOptions FromEnvironment(EnvironmentSettingsReader reader)
    {
        var options = ReadFrom(reader);
        reader.ThrowIfInvalid("RunsFleet SqsBridge");
        return options!;
    }

    /// <summary>Reads the bridge's variables into <paramref name="reader"/> without throwing, so a host
    /// with settings of its own (the Worker) can report every problem in one message.
    /// Returns null when a bridge variable has a problem.</summary>
    public static BridgeOptions? ReadFrom(EnvironmentSettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problemsBefore = reader.Problems.Count;
        var termination = reader.RequiredHttpUrl(TerminationQueueUrlVariable,
            "the SQS queue runner agents send job termination messages to");
        var housekeeping = reader.OptionalHttpUrl(HousekeepingQueueUrlVariable);
        var taskQueue = reader.Optional(TaskQueueVariable) ?? TaskQueues.Default;
        var concurrency = reader.Int(MaxConcurrencyVariable, DefaultMaxConcurrency, 1, 1000);
        var shutdownSeconds = reader.Int(ShutdownSecondsVariable, 25, 1, 300);
        var maxBytes = reader.Int(MaxMessageBytesVariable, 64 * 1024, 1024, 1024 * 1024);
        var healthFile = HealthFileOptions.ReadPath(reader);

        if (termination is not null && housekeeping is not null && string.Equals(termination, housekeeping,
            StringComparison.Ordinal))
        {
            reader.AddProblem(HousekeepingQueueUrlVariable,
                $"must differ from {TerminationQueueUrlVariable}: one queue cannot carry both message formats");
        }

        if (reader.Problems.Count > problemsBefore || termination is null)
        {
            return null;
        }

        return new BridgeOptions
        {
            TerminationQueueUrl = termination,
            HousekeepingQueueUrl = housekeeping,
            TaskQueue = taskQueue,
            MaxConcurrency = concurrency,
            ShutdownGrace = TimeSpan.FromSeconds(shutdownSeconds),
            MaxMessageBytes = maxBytes,
            HealthFile = healthFile,
        };
    }
}
