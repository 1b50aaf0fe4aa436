using System.Text.RegularExpressions;
using System.Xml.Linq;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>The Worker and SqsBridge Dockerfiles: multi-stage, restorable, non-root, healthy, secret-free.</summary>
public class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "Worker/Dockerfile", "Worker/RunsFleet.Worker.csproj" },
        { "SqsBridge/Dockerfile", "SqsBridge/RunsFleet.SqsBridge.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Builds_with_the_sdk_and_runs_on_the_runtime_image(string dockerfile, string project)
    {
        var stages = Lines(dockerfile).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/runtime:10.0", stages[1], StringComparison.Ordinal);
        Assert.Contains($"RUN dotnet publish {project} --no-restore -c Release", RepositoryFiles.Read(dockerfile), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_layer_copies_every_project_the_image_builds_and_the_central_package_files(string dockerfile, string project)
    {
        var text = RepositoryFiles.Read(dockerfile);
        var restoreAt = text.IndexOf("RUN dotnet restore " + project, StringComparison.Ordinal);
        Assert.True(restoreAt > 0, "the Dockerfile restores " + project);
        var beforeRestore = text[..restoreAt];

        Assert.Contains("COPY Directory.Build.props Directory.Packages.props ./", beforeRestore, StringComparison.Ordinal);
        foreach (var reference in ProjectClosure(project))
        {
            var folder = Path.GetDirectoryName(reference)!.Replace('\\', '/');
            Assert.Contains($"COPY {reference} {folder}/", beforeRestore, StringComparison.Ordinal);
            Assert.Contains($"COPY {folder}/ {folder}/", text[restoreAt..], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Runs_the_project_assembly_as_a_non_root_user(string dockerfile, string project)
    {
        var lines = Lines(dockerfile);
        var runtimeStage = lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/runtime", StringComparison.Ordinal)).ToList();
        var user = Assert.Single(runtimeStage, l => l.StartsWith("USER ", StringComparison.Ordinal));

        Assert.DoesNotMatch(@"^USER\s+(root|0)(:|\z)", user);
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{Path.GetFileNameWithoutExtension(project)}.dll\"]", runtimeStage.Last());
        Assert.True(runtimeStage.IndexOf(user) < runtimeStage.Count - 1, "USER comes before the entry point");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Health_check_treats_a_health_file_touched_within_the_last_minute_as_healthy(string dockerfile, string project)
    {
        _ = project;
        var text = RepositoryFiles.Read(dockerfile);

        Assert.Contains("RUNS_FLEET_HEALTH_FILE=/tmp/runs-fleet.health", text, StringComparison.Ordinal);
        Assert.Matches(@"HEALTHCHECK [^\n]*\\\n\s+CMD find ""\$RUNS_FLEET_HEALTH_FILE"" -mmin -1 \| grep -q \. \|\| exit 1", text);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Bakes_in_no_credentials(string dockerfile, string project)
    {
        _ = project;
        var declared = Lines(dockerfile)
            .Where(l => l.StartsWith("ENV ", StringComparison.Ordinal) || l.StartsWith("ARG ", StringComparison.Ordinal) || l.StartsWith("DOTNET_", StringComparison.Ordinal) || l.StartsWith("RUNS_FLEET_", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(declared);
        Assert.DoesNotContain(declared, l => Regex.IsMatch(l, "KEY|SECRET|PASSWORD|TOKEN|AWS_ACCESS|CREDENTIAL", RegexOptions.IgnoreCase));
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_node_modules_git_and_tests_out_of_the_context()
    {
        var ignored = Lines(".dockerignore").ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "**/node_modules/", ".git/", "Tests/", "**/cdk.out/" }, ignored);
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!result.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(current)).Descendants("ProjectReference"))
            {
                var path = Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(RepositoryFiles.Root, folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
                pending.Push(path.Replace('\\', '/'));
            }
        }

        return result;
    }

    private static List<string> Lines(string file) =>
        RepositoryFiles.Read(file).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
}
