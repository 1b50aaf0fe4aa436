using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Sweeps.JobArchive;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

public class JobArchiveOptionsTests
{
    [Fact]
    public void Defaults_are_valid_archive_off_and_seven_days()
    {
        var options = new JobArchiveOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(7, options.RetentionDays);
        Assert.False(options.ArchiveEnabled);
    }

    [Fact]
    public void A_bucket_turns_the_archive_on()
    {
        var options = new JobArchiveOptions { ArchiveBucket = "runs-fleet-archive" };

        Assert.Empty(Validate(options));
        Assert.True(options.ArchiveEnabled);
    }

    [Theory]
    [InlineData(nameof(JobArchiveOptions.ArchiveBucket), "Not_A_Bucket")]
    [InlineData(nameof(JobArchiveOptions.ArchivePrefix), "bad prefix with spaces")]
    [InlineData(nameof(JobArchiveOptions.RetentionDays), 0)]
    [InlineData(nameof(JobArchiveOptions.PageSize), 1001)]
    [InlineData(nameof(JobArchiveOptions.PagesPerRun), 0)]
    [InlineData(nameof(JobArchiveOptions.DeleteMaxAttempts), 0)]
    [InlineData(nameof(JobArchiveOptions.DeleteRetryDelayMilliseconds), -1)]
    public void Rejects_invalid_settings(string member, object value)
    {
        var options = new JobArchiveOptions();
        typeof(JobArchiveOptions).GetProperty(member)!.SetValue(options, value);

        Assert.Contains(Validate(options), e => e.MemberNames.Contains(member));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
