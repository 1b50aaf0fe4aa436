using RunsFleet.Hosting;

namespace RunsFleet.Cli.Common;

/// <summary>A failure the CLI reports as one line on stderr with its own exit code. Commands throw it
/// for every failure they understand; <see cref="CliApp"/> turns the rest into one line too.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException(int exitCode, string message, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    /// <summary>The process exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }
}
