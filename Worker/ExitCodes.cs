namespace RunsFleet.Worker;

/// <summary>Process exit codes, distinct so scripts and ECS events tell the causes apart.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The worker or a command failed at run time (e.g. Temporal unreachable).</summary>
    public const int Failure = 1;

    /// <summary>A setting is missing or invalid; the message names every problem.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Dev mode could not start a local Temporal dev server.</summary>
    public const int DevServerUnavailable = 3;

    /// <summary>Unknown command or arguments.</summary>
    public const int Usage = 64;
}
