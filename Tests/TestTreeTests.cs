using System.Text.RegularExpressions;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests;

/// <summary>
/// The test tree mirrors production folder by folder (Tests/README.md): the tests of Activities/Jobs live
/// in Tests/Activities/Jobs, every production folder has its test folder, and a test folder names a
/// production folder, so a newcomer finds a class's tests at the same path and a rename shows up here.
/// </summary>
public sealed partial class TestTreeTests
{
    private static readonly string[] Projects =
        ["Activities", "Workflows", "Worker", "SqsBridge", "Hosting", "Cli", "Infrastructure", "Contracts"];

    /// <summary>Test folders that mirror no production folder: shared test support and its own tests.</summary>
    private static readonly string[] TestOnlyFolders =
    [
        "Support", "SupportTests", "Cli/Support", "Emulators",
    ];

    /// <summary>Production folders without a test folder of their own, each with its reason. Keep it short.</summary>
    private static readonly string[] Exceptions =
    [
        // AWS error mapping and EC2 limits, covered through the tests of the activities that call AWS.
        "Activities/Aws",

        // One trigger input each, whose wire JSON is pinned for all five at once by
        // Workflows/Sweeps/SweepContinuationTests and by each sweep's replay tests.
        "Contracts/Sweeps/JobArchive", "Contracts/Sweeps/OrphanedJobs", "Contracts/Sweeps/PoolAudit",
        "Contracts/Sweeps/StaleSsm", "Contracts/Sweeps/StrayInstances",
    ];

    /// <summary>Folder names exempt wherever they appear, each with its reason.</summary>
    private static readonly string[] ExemptNames =
    [
        // Helpers shared by the folders beside them (failure types, task queues, patch ids, search
        // attribute names, CLI output), covered through those folders' tests.
        "Common",
    ];

    [Fact]
    public void Every_production_folder_has_a_test_folder_with_a_test()
    {
        var missing = ProductionFolders()
            .Where(folder => !Exceptions.Any(exception => IsAtOrBelow(folder, exception)))
            .Where(folder => !folder.Split('/').Intersect(ExemptNames).Any())
            .Where(folder => !HasTest(Path.Combine(RepositoryFiles.Root, "Tests", folder)))
            .ToList();

        Assert.True(missing.Count == 0, "no test folder with a test for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_test_folder_mirrors_a_production_folder()
    {
        var tests = Path.Combine(RepositoryFiles.Root, "Tests");
        var strays = SourceFolders(tests)
            .Where(folder => folder.Length > 0)
            .Where(folder => !TestOnlyFolders.Any(only => IsAtOrBelow(folder, only)))
            .Where(folder => !Directory.Exists(Path.Combine(RepositoryFiles.Root, folder)))
            .ToList();

        Assert.True(strays.Count == 0, "test folders with no production folder of that path: " + string.Join(", ", strays));
    }

    [Fact]
    public void Every_exception_names_a_production_folder()
    {
        // A renamed or deleted folder must take its exception along, or the list grows stale.
        Assert.All(Exceptions, folder => Assert.Contains(folder, ProductionFolders()));
    }

    private static List<string> ProductionFolders() =>
        Projects.SelectMany(project => SourceFolders(Path.Combine(RepositoryFiles.Root, project)).Select(folder =>
            folder.Length == 0 ? project : project + "/" + folder)).ToList();

    /// <summary>Folders below <paramref name="root"/> ("" for itself) holding .cs files, build output excluded.</summary>
    private static IEnumerable<string> SourceFolders(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Select(folder => folder == "." ? "" : folder)
            .Where(folder => !folder.Split('/').Any(part => part is "bin" or "obj" or "node_modules"))
            .Distinct()
            .Order(StringComparer.Ordinal);

    private static bool HasTest(string folder) =>
        Directory.Exists(folder) &&
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Any(file => TestAttribute().IsMatch(File.ReadAllText(file)));

    private static bool IsAtOrBelow(string folder, string ancestor) =>
        folder == ancestor || folder.StartsWith(ancestor + "/", StringComparison.Ordinal);

    [GeneratedRegex(@"\[(Skippable)?(Fact|Theory)\b")]
    private static partial Regex TestAttribute();
}
