using System.Globalization;

namespace RunsFleet.Tests.Hosting.Telemetry;

/// <summary>A Prometheus text exposition, read the way a scraper reads it: one sample per line.</summary>
internal sealed class ScrapeText(string text)
{
    public string Text { get; } = text;

    /// <summary>Sample lines (comments and blank lines left out).</summary>
    public IReadOnlyList<string> Samples { get; } =
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#'))];

    /// <summary>The value of the one series called <paramref name="name"/> carrying every label given (k="v").</summary>
    public double Value(string name, params string[] labels)
    {
        var matches = Samples
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(matches.Count == 1, $"expected one {name} series with [{string.Join(", ", labels)}], found {matches.Count} in:\n{Text}");
        return double.Parse(matches[0][(matches[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
