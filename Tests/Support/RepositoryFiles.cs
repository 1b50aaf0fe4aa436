namespace RunsFleet.Tests.Support;

/// <summary>
/// Files of the repository the tests (and the benchmarks) run from. Use these instead of relative
/// paths: tests run from bin/Debug/net10.0.
/// </summary>
public static class RepositoryFiles
{
    private const string SolutionFile = "RunsFleet.Workflows.sln";
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding RunsFleet.Workflows.sln (found by walking up from the test binaries).</summary>
    public static string Root => RootPath.Value;

    /// <summary>Tests/Emulators: package.json + package-lock.json of the npm emulators.</summary>
    public static string Emulators => Path.Combine(Root, "Tests", "Emulators");

    /// <summary>The full path of <paramref name="relative"/> (written with '/') under the root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of the repository file <paramref name="relative"/>.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Path of a compiled project assembly next to the test assembly.</summary>
    public static string Assembly(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

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
