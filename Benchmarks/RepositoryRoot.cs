namespace RunsFleet.Benchmarks;

/// <summary>The checkout the benchmark runs in: the folder holding RunsFleet.Workflows.sln.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFile = "RunsFleet.Workflows.sln";

    /// <summary>Looks above the binaries (bin/Release/net10.0), then above the working directory.</summary>
    public static string Find() =>
        Above(AppContext.BaseDirectory) ?? Above(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the benchmark inside the repository.");

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
