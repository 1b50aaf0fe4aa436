using System.Reflection;
using System.Text.RegularExpressions;
using RunsFleet.Hosting;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Hosting;

/// <summary>One exit-code table for every process: each code one cause, each listed in the operator guide.</summary>
public sealed partial class ExitCodesTests
{
    [Fact]
    public void Every_code_is_distinct_and_the_guide_lists_exactly_them()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (int)f.GetValue(null)!)
            .ToList();
        var guide = RepositoryFiles.Read("docs/operator-guide.md");
        var table = guide[guide.IndexOf("| Exit code | Meaning |", StringComparison.Ordinal)..];
        var documented = TableRow().Matches(table.Split("\n\n")[0]).Select(m => int.Parse(m.Groups[1].Value)).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(codes.Order(), documented.Order());
    }

    [Fact]
    public void The_numbers_scripts_test_stay_as_deployed()
    {
        Assert.Equal(
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130],
            new[]
            {
                ExitCodes.Success, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.NotFound,
                ExitCodes.ConfirmationRequired, ExitCodes.TemporalError, ExitCodes.AwsError,
                ExitCodes.CompletedWithProblems, ExitCodes.InvalidConfiguration, ExitCodes.DevServerUnavailable,
                ExitCodes.Interrupted,
            });
    }

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
