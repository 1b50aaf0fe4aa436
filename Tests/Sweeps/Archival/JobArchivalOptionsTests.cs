using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Archival;

namespace RunsFleet.Tests.Sweeps.Archival;

public class JobArchivalOptionsTests
{
    [Fact]
    public void Defaults_are_valid_archive_off_and_seven_days()
    {
        var options = new JobArchivalOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(7, options.RetentionDays);
        Assert.False(options.ArchiveEnabled);
    }

    [Fact]
    public void A_bucket_turns_the_archive_on()
    {
        var options = new JobArchivalOptions { ArchiveBucket = "runs-fleet-archive" };

        Assert.Empty(Validate(options));
        Assert.True(options.ArchiveEnabled);
    }

    [Theory]
    [InlineData(nameof(JobArchivalOptions.ArchiveBucket), "Not_A_Bucket")]
    [InlineData(nameof(JobArchivalOptions.ArchivePrefix), "bad prefix with spaces")]
    [InlineData(nameof(JobArchivalOptions.RetentionDays), 0)]
    [InlineData(nameof(JobArchivalOptions.PageSize), 1001)]
    [InlineData(nameof(JobArchivalOptions.PagesPerRun), 0)]
    [InlineData(nameof(JobArchivalOptions.DeleteMaxAttempts), 0)]
    [InlineData(nameof(JobArchivalOptions.DeleteRetryDelayMilliseconds), -1)]
    public void Rejects_invalid_settings(string member, object value)
    {
        var options = new JobArchivalOptions();
        typeof(JobArchivalOptions).GetProperty(member)!.SetValue(options, value);

        Assert.Contains(Validate(options), e => e.MemberNames.Contains(member));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
