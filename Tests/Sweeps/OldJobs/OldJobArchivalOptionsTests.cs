using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Sweeps.OldJobs;

namespace RunsFleet.Tests.Sweeps.OldJobs;

public class OldJobArchivalOptionsTests
{
    [Fact]
    public void Defaults_are_valid_archive_off_and_seven_days()
    {
        var options = new OldJobArchivalOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(7, options.RetentionDays);
        Assert.False(options.ArchiveEnabled);
    }

    [Fact]
    public void A_bucket_turns_the_archive_on()
    {
        var options = new OldJobArchivalOptions { ArchiveBucket = "runs-fleet-archive" };

        Assert.Empty(Validate(options));
        Assert.True(options.ArchiveEnabled);
    }

    [Theory]
    [InlineData(nameof(OldJobArchivalOptions.ArchiveBucket), "Not_A_Bucket")]
    [InlineData(nameof(OldJobArchivalOptions.ArchivePrefix), "bad prefix with spaces")]
    [InlineData(nameof(OldJobArchivalOptions.RetentionDays), 0)]
    [InlineData(nameof(OldJobArchivalOptions.PageSize), 1001)]
    [InlineData(nameof(OldJobArchivalOptions.PagesPerRun), 0)]
    [InlineData(nameof(OldJobArchivalOptions.DeleteMaxAttempts), 0)]
    [InlineData(nameof(OldJobArchivalOptions.DeleteRetryDelayMilliseconds), -1)]
    public void Rejects_invalid_settings(string member, object value)
    {
        var options = new OldJobArchivalOptions();
        typeof(OldJobArchivalOptions).GetProperty(member)!.SetValue(options, value);

        Assert.Contains(Validate(options), e => e.MemberNames.Contains(member));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
