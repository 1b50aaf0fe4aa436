namespace RunsFleet.Hosting;

/// <summary>Process exit codes of the Worker, the SqsBridge and the CLI: one table, so a code means the same
/// in every process and scripts, ECS events and operators tell the causes apart. The numbers are
/// deployed (scripts test them): add a code, never renumber one. docs/operator-guide.md lists them.</summary>
public static class ExitCodes
{
    /// <summary>Done, nothing wrong found; a host's clean stop (SIGTERM / Ctrl+C).</summary>
    public const int Success = 0;

    /// <summary>What was asked failed: a host failed at run time (e.g. a queue unreachable at start), or what a
    /// CLI command reports failed (a sweep run failed, a redrive left messages behind).</summary>
    public const int Failure = 1;

    /// <summary>Unknown command, missing or invalid argument or option.</summary>
    public const int Usage = 2;

    /// <summary>The job, instance, run, schedule, report or queue asked for does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>A destructive command was run without --yes: nothing was changed.</summary>
    public const int ConfirmationRequired = 4;

    /// <summary>Temporal could not be reached or refused the call.</summary>
    public const int TemporalError = 5;

    /// <summary>An AWS call failed (credentials, permissions, throttling, a missing queue or bucket).</summary>
    public const int AwsError = 6;

    /// <summary>Completed, but what it reports needs attention (a sweep hit its cap or kept instances it could
    /// not judge; doctor: a capability is not ready).</summary>
    public const int CompletedWithProblems = 7;

    /// <summary>A setting is missing or invalid (the <see cref="SettingsException"/> message names every
    /// problem), the SqsBridge refuses to serve a queue as configured, or the worker's preflight
    /// finds that the jobs table does not exist.</summary>
    public const int InvalidConfiguration = 8;

    /// <summary>Worker dev mode could not start a local Temporal dev server.</summary>
    public const int DevServerUnavailable = 9;

    /// <summary>Interrupted (Ctrl+C): what was done so far stays done; the command can be run again.</summary>
    public const int Interrupted = 130;
}
