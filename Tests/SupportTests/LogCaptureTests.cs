using Microsoft.Extensions.Logging;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class LogCaptureTests
{
    [Fact]
    public void Typed_logger_records_level_message_and_template_values()
    {
        var logs = new LogCapture();
        var logger = logs.Logger<LogCaptureTests>();

        logger.LogInformation("Job {JobId} started on {InstanceId}", 42, "i-1");
        logger.LogWarning("Job {JobId} already complete", 42);

        var warning = logs.Single(LogLevel.Warning, "already complete");
        Assert.Equal("42", warning.GetStructuredStateValue("JobId"));
        Assert.Equal(["Job 42 started on i-1", "Job 42 already complete"], logs.Messages);
        Assert.Single(logs.At(LogLevel.Information));
    }

    [Fact]
    public void Factory_loggers_write_into_the_same_capture_at_every_level()
    {
        using var logs = new LogCapture();

        logs.Factory.CreateLogger("Some.Category").LogDebug("debug detail {Value}", 7);

        var record = Assert.Single(logs.Records);
        Assert.Equal("Some.Category", record.Category);
        Assert.Equal(LogLevel.Debug, record.Level);
    }

    [Fact]
    public void Single_explains_what_was_logged_when_nothing_matches()
    {
        var logs = new LogCapture();
        logs.Logger<LogCaptureTests>().LogError("Deleting {Name} failed", "/rf/a");

        var error = Assert.Throws<InvalidOperationException>(() => logs.Single(LogLevel.Warning, "failed"));

        Assert.Contains("Deleting /rf/a failed", error.Message, StringComparison.Ordinal);
    }
}
