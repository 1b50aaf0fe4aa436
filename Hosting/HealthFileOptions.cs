namespace RunsFleet.Hosting;

/// <summary>Liveness file of a process (RUNS_FLEET_HEALTH_FILE). Container health checks test that
/// its modification time is recent, e.g. <c>test -n "$(find /tmp/runs-fleet.health -mmin -1)"</c>
/// (find alone exits 0 even when nothing matches).</summary>
public sealed class HealthFileOptions
{
    /// <summary>Environment variable naming the file, read by both hosts.</summary>
    public const string Variable = "RUNS_FLEET_HEALTH_FILE";

    /// <summary>Default path: writable by a non-root user in any container image.</summary>
    public const string DefaultPath = "/tmp/runs-fleet.health";

    /// <summary>File touched while the process is healthy; deleted when it stops.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How often the file is touched (a check should allow about three misses).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The path in <see cref="Variable"/>, or <see cref="DefaultPath"/> when unset; a problem in
    /// <paramref name="reader"/> when it is not absolute (a relative path would depend on the
    /// working directory the container happens to start in).</summary>
    public static string ReadPath(EnvironmentSettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var path = reader.Optional(Variable) ?? DefaultPath;
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            reader.AddProblem(Variable, $"must be an absolute path, got '{path}'");
        }

        return path;
    }
}
