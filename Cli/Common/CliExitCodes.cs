namespace RunsFleet.Cli.Common;

/// <summary>
/// Exit codes of the operator CLI, one cause each, so a script can tell them apart.
/// </summary>
internal static class CliExitCodes
{
    /// <summary>The command did what was asked and found nothing wrong.</summary>
    public const int Success = 0;

    /// <summary>The command ran, but what it reports failed (a sweep run failed, a redrive left messages behind).</summary>
    public const int Failed = 1;

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

    /// <summary>The command ran and completed, but what it reports needs attention (a sweep hit its cap or kept
    /// instances it could not judge; doctor: a capability is not ready).</summary>
    public const int CompletedWithProblems = 7;

    /// <summary>A setting the command needs is missing or invalid.</summary>
    public const int InvalidConfiguration = 8;

    /// <summary>Interrupted (Ctrl+C): what was done so far stays done; the command can be run again.</summary>
    public const int Interrupted = 130;
}
