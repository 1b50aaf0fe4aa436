using System.Reflection;
using System.Xml.Linq;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// House rules of the production code that no compiler option enforces: lines of at most 120
/// characters (also written as max_line_length in .editorconfig, which editors show but the build
/// does not check) and no positional record with more than eight values, where a swapped pair of
/// ints would still compile.
/// </summary>
public sealed class SourceRulesTests
{
    private const int MaxLineLength = 120;
    private const int MaxPositionalValues = 8;

    // Not converted yet (issue 14 left them; each conversion must keep the JSON byte for byte where the
    // record is recorded in histories or read by operators' scripts). The list may only shrink: a
    // listed record that is converted or gone fails Pending_records_are_still_positional.
    private static readonly HashSet<string> Pending = new(StringComparer.Ordinal)
    {
        "RunsFleet.Infrastructure.Permissions.ScopedResources",
        "RunsFleet.Infrastructure.Services.FleetServices+ServiceSpec",
        "RunsFleet.Contracts.JobTermination.JobTerminationInput",
        "RunsFleet.Cli.Runs.RunReport",
        "RunsFleet.Cli.Doctor.DoctorChecked",
        "RunsFleet.Cli.Dlq.DlqListReport",
        "RunsFleet.Cli.Dlq.DlqMessage",
        "RunsFleet.Cli.Dlq.RedriveSummary",
        "RunsFleet.Cli.Dlq.DlqShownMessage",
    };

    /// <summary>The projects that ship; Tests and Benchmarks are not held to the rules.</summary>
    private static readonly string[] Projects =
        ["Activities", "Contracts", "Workflows", "Worker", "SqsBridge", "Hosting", "Cli", "Infrastructure"];

    public static TheoryData<string> ProductionProjects() => new(Projects);

    [Fact]
    public void The_editorconfig_states_the_line_limit_for_csharp()
    {
        var config = RepositoryFiles.Read(".editorconfig");
        var csharp = config[config.IndexOf("[*.cs]", StringComparison.Ordinal)..];
        Assert.Contains($"max_line_length = {MaxLineLength}", csharp, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProductionProjects))]
    public void Production_lines_are_at_most_120_characters(string project)
    {
        var folder = RepositoryFiles.PathOf(project);
        var sep = Path.DirectorySeparatorChar;
        var tooLong = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal)
                && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, line.Length)))
            .Where(l => l.Length > MaxLineLength)
            .Select(l => $"{Path.GetRelativePath(RepositoryFiles.Root, l.File)}:{l.Line} ({l.Length})")
            .ToList();
        Assert.True(tooLong.Count == 0, $"{tooLong.Count} lines over {MaxLineLength}:\n" + string.Join('\n', tooLong));
    }

    [Theory]
    [MemberData(nameof(ProductionProjects))]
    public void Records_with_more_than_eight_values_use_named_properties(string project)
    {
        var wide = WideRecords(project).Where(name => !Pending.Contains(name)).ToList();
        Assert.True(wide.Count == 0, "records to build with named properties:\n" + string.Join('\n', wide));
    }

    [Fact]
    public void Pending_records_are_still_positional()
    {
        var wide = Projects.SelectMany(WideRecords).ToHashSet();
        Assert.All(Pending, name => Assert.Contains(name, wide));
    }

    private static IEnumerable<string> WideRecords(string project) =>
        Assembly.LoadFrom(RepositoryFiles.Assembly(AssemblyName(project)))
            .GetTypes()
            .Where(t => t.GetMethod("<Clone>$") is not null || t.IsValueType)
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.Name == "Deconstruct" && m.GetParameters().Length > MaxPositionalValues))
            .Select(t => t.FullName!);

    // The assembly the project folder builds: its csproj's AssemblyName (the CLI's is runs-fleet), else the csproj's name.
    private static string AssemblyName(string project)
    {
        var csproj = Directory.GetFiles(RepositoryFiles.PathOf(project), "*.csproj").Single();
        return XDocument.Load(csproj).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault()
            ?? Path.GetFileNameWithoutExtension(csproj);
    }
}
