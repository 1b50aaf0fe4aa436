using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SqsBridge.Contracts;

/// <summary>
/// The project's samples live in ../shared/samples beside the repository (the agents' wire
/// format, kept by the fleet team); the contract tests parse committed copies so they run
/// from any checkout. This test keeps the copies honest wherever the shared folder exists.
/// </summary>
public sealed class SharedSamplesTests
{
    private static readonly string SharedSamples = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "..", "shared", "samples"));

    [SkippableTheory]
    [InlineData("termination")]
    [InlineData("housekeeping")]
    public void Every_shared_sample_is_committed_unchanged_and_parses(string kind)
    {
        var folder = Path.Combine(SharedSamples, kind);
        Skip.IfNot(Directory.Exists(folder), $"no shared samples at {folder}: the committed copies in Tests/SqsBridge/Contracts/Samples are tested on their own");

        var shared = Directory.GetFiles(folder, "*.json");
        Assert.NotEmpty(shared);
        foreach (var file in shared)
        {
            var name = Path.GetFileName(file);
            var copy = Path.Combine(SampleMessages.Folder(kind), name);
            Assert.True(File.Exists(copy), $"shared sample {kind}/{name} has no copy in Tests/SqsBridge/Contracts/Samples/{kind}");
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(copy));

            var body = File.ReadAllText(file);
            var accepted = kind == "termination"
                ? TerminationMessageParser.Parse(body).Problems.Count == 0
                : HousekeepingMessageParser.Parse(body).Problems.Count == 0;
            Assert.True(accepted, $"shared sample {kind}/{name} is rejected");
        }
    }
}
