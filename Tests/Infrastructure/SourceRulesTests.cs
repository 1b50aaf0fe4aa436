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
        var wide = WideRecords(Assembly.LoadFrom(RepositoryFiles.Assembly(AssemblyName(project)))).ToList();
        Assert.True(wide.Count == 0, "records to build with named properties:\n" + string.Join('\n', wide));
    }

    // The rule must be able to fail: a nine-value positional record is found, an eight-value one is not.
    [Fact]
    public void The_rule_finds_a_positional_record_with_nine_values()
    {
        var wide = WideRecords(typeof(SourceRulesTests).Assembly).ToList();
        Assert.Contains(typeof(NineValues).FullName!, wide);
        Assert.DoesNotContain(typeof(EightValues).FullName!, wide);
    }

    private sealed record NineValues(int A, int B, int C, int D, int E, int F, int G, int H, int I);

    private sealed record EightValues(int A, int B, int C, int D, int E, int F, int G, int H);

    private static IEnumerable<string> WideRecords(Assembly assembly) =>
        assembly.GetTypes()
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
