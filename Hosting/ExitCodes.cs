namespace RunsFleet.Hosting;

/// <summary>
/// Process exit codes of both hosts, in one table so a code means the same in either
/// container and scripts and ECS events tell the causes apart.
/// </summary>
public static class ExitCodes
{
    /// <summary>A clean stop (SIGTERM / Ctrl+C) or a command that did its job.</summary>
    public const int Success = 0;

    /// <summary>The host or a command failed at run time (e.g. Temporal or a queue unreachable).</summary>
    public const int Failure = 1;

    /// <summary>
    /// A setting is missing or invalid (the <see cref="SettingsException"/> message names every
    /// problem), the SqsBridge refuses to serve a queue as configured, or the worker's preflight
    /// finds that the jobs table does not exist.
    /// </summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Worker dev mode could not start a local Temporal dev server.</summary>
    public const int DevServerUnavailable = 3;

    /// <summary>Unknown command or arguments (Worker).</summary>
    public const int Usage = 64;
}
