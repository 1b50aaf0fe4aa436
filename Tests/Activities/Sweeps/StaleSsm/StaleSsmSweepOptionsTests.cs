using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

public class StaleSsmSweepOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_issue()
    {
        var options = new StaleSsmSweepOptions();

        Assert.Empty(Validate(options));
        Assert.Equal("/runs-fleet/runners/", options.ParameterPrefix);
        Assert.Equal(10, options.GraceMinutes);
        Assert.Equal(50, options.PageSize);
    }

    [Theory]
    [InlineData("runs-fleet/runners/", 10, 50, 100, nameof(StaleSsmSweepOptions.ParameterPrefix))]
    [InlineData("/runs-fleet/runners", 10, 50, 100, nameof(StaleSsmSweepOptions.ParameterPrefix))]
    [InlineData("/runs-fleet/runners/", 0, 50, 100, nameof(StaleSsmSweepOptions.GraceMinutes))]
    [InlineData("/runs-fleet/runners/", 10, 51, 100, nameof(StaleSsmSweepOptions.PageSize))]
    [InlineData("/runs-fleet/runners/", 10, 50, 0, nameof(StaleSsmSweepOptions.PagesPerRun))]
    public void Rejects_out_of_range_settings(string prefix, int grace, int pageSize, int pagesPerRun, string member)
    {
        var options = new StaleSsmSweepOptions { ParameterPrefix = prefix, GraceMinutes = grace, PageSize = pageSize, PagesPerRun = pagesPerRun };

        var errors = Validate(options);

        Assert.Contains(errors, e => e.MemberNames.Contains(member));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
