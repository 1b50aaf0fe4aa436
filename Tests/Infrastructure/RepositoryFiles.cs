namespace RunsFleet.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (found by walking up to the solution file).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Path of a compiled project assembly next to the test assembly.</summary>
    public static string Assembly(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RunsFleet.Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RunsFleet.Workflows.sln not found above " + AppContext.BaseDirectory);
    }
}
