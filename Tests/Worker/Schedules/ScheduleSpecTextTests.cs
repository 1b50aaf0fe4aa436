using RunsFleet.Worker.Schedules;
using Temporalio.Client.Schedules;

namespace RunsFleet.Tests.Worker.Schedules;

public sealed class ScheduleSpecTextTests
{
    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("60s", 60)]
    [InlineData("2d", 2 * 86400)]
    [InlineData(" 45m ", 45 * 60)]
    public void Intervals_parse_to_an_interval_spec(string text, int seconds)
    {
        Assert.True(ScheduleSpecText.TryParse(text, out var spec, out var error), error);

        var interval = Assert.Single(spec!.Intervals);
        Assert.Equal(TimeSpan.FromSeconds(seconds), interval.Every);
        Assert.Empty(spec.Calendars);
    }

    [Theory]
    [InlineData("59s", "shorter than the minimum")]
    [InlineData("0m", "shorter than the minimum")]
    [InlineData("", "is empty")]
    [InlineData("15 minutes", "neither an interval")]
    [InlineData("1w", "neither an interval")]
    [InlineData("61 * * * *", "minute field")]
    [InlineData("0 24 * * *", "hour field")]
    [InlineData("0 2 0 * *", "day-of-month field")]
    [InlineData("0 2 * 13 *", "month field")]
    [InlineData("0 2 * * 8", "day-of-week field")]
    [InlineData("0 2 * * FUNDAY", "day-of-week field")]
    [InlineData("5-1 * * * *", "minute field")]
    [InlineData("*/0 * * * *", "minute field")]
    [InlineData("0 2 1 * MON", "restricts both day-of-month and day-of-week")]
    [InlineData("0 0 2 * * *", "neither an interval")]
    public void Invalid_text_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(ScheduleSpecText.TryParse(text, out var spec, out var error));

        Assert.Null(spec);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_daily_cron_becomes_the_calendar_the_server_would_describe()
    {
        Assert.True(ScheduleSpecText.TryParse("0 2 * * *", out var spec, out _));

        var calendar = Assert.Single(spec!.Calendars);
        Assert.Equal([ScheduleRange.Zero], calendar.Second);
        Assert.Equal([new ScheduleRange(0)], calendar.Minute);
        Assert.Equal([new ScheduleRange(2)], calendar.Hour);
        Assert.Equal([new ScheduleRange(1, 31)], calendar.DayOfMonth);
        Assert.Equal([new ScheduleRange(1, 12)], calendar.Month);
        Assert.Equal([new ScheduleRange(0, 6)], calendar.DayOfWeek);
        Assert.Empty(spec.CronExpressions);
        Assert.Equal("cron 0 2 * * *", calendar.Comment);
    }

    [Theory]
    [InlineData("*/15 * * * *", "m", 0, 59, 15)]
    [InlineData("5/20 * * * *", "m", 5, 59, 20)]
    [InlineData("0 8-18 * * *", "h", 8, 18, 1)]
    [InlineData("0 0 * JAN-MAR *", "mon", 1, 3, 1)]
    [InlineData("0 0 * * mon-fri", "dow", 1, 5, 1)]
    public void Cron_ranges_and_steps_become_calendar_ranges(string text, string field, int start, int end, int step)
    {
        Assert.True(ScheduleSpecText.TryParse(text, out var spec, out var error), error);

        var calendar = Assert.Single(spec!.Calendars);
        var ranges = field switch
        {
            "m" => calendar.Minute,
            "h" => calendar.Hour,
            "mon" => calendar.Month,
            _ => calendar.DayOfWeek,
        };
        Assert.Equal([new ScheduleRange(start, end, step)], ranges);
    }

    [Theory]
    [InlineData("0 0 * * 7", "0-0/1")]
    [InlineData("0 0 * * 0,7", "0-0/1")]
    [InlineData("0 0 * * 5-7", "0-0/1,5-6/1")]
    [InlineData("0 0 * * 1,3,5", "1-1/1,3-3/1,5-5/1")]
    public void Sunday_as_7_becomes_0(string text, string expected)
    {
        Assert.True(ScheduleSpecText.TryParse(text, out var spec, out var error), error);

        var calendar = Assert.Single(spec!.Calendars);
        var canonical = string.Join(',', calendar.DayOfWeek.Select(r => $"{r.Start}-{Math.Max(r.End, r.Start)}/{Math.Max(r.Step, 1)}").Order(StringComparer.Ordinal));
        Assert.Equal(expected, canonical);
    }
}
