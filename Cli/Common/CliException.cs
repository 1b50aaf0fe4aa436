namespace RunsFleet.Cli.Common;

/// <summary>
/// A failure the CLI reports as one line on stderr with its own exit code. Commands throw it
/// for every failure they understand; <see cref="CliApp"/> turns the rest into one line too.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException(int exitCode, string message, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    public CliException()
        : this(CliExitCodes.Failed, "failed")
    {
    }

    public CliException(string message)
        : this(CliExitCodes.Failed, message)
    {
    }

    public CliException(string message, Exception innerException)
        : this(CliExitCodes.Failed, message, innerException)
    {
    }

    /// <summary>The process exit code (<see cref="CliExitCodes"/>).</summary>
    public int ExitCode { get; }
}
