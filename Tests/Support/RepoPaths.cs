namespace RunsFleet.Tests.Support;

/// <summary>
/// Locates folders of the repository from a running test. Use <see cref="Root"/> or
/// <see cref="Emulators"/> instead of relative paths: tests run from bin/Debug/net10.0.
/// </summary>
public static class RepoPaths
{
    private const string SolutionFile = "RunsFleet.Workflows.sln";
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding RunsFleet.Workflows.sln (found by walking up from the test binaries).</summary>
    public static string Root => RootPath.Value;

    /// <summary>Tests/Emulators: package.json + package-lock.json of the npm emulators.</summary>
    public static string Emulators => Path.Combine(Root, "Tests", "Emulators");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find {SolutionFile} above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
