using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SqsBridge.Contracts;

/// <summary>The committed wire-format samples (Tests/SqsBridge/Contracts/Samples).</summary>
public static class SampleMessages
{
    public static string Folder(string kind) => Path.Combine(RepositoryFiles.Root, "Tests", "SqsBridge", "Contracts", "Samples", kind);

    public static TheoryData<string> Names(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder(kind), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static string Read(string kind, string name) => File.ReadAllText(Path.Combine(Folder(kind), name));

    public static TheoryData<string> Termination => Names("termination");

    public static TheoryData<string> Housekeeping => Names("housekeeping");
}
