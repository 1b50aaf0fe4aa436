using System.Globalization;
using System.Text.RegularExpressions;
using Temporalio.Client.Schedules;

namespace RunsFleet.Worker.Schedules;

/// <summary>Parses an operator's schedule override (RUNS_FLEET_SCHEDULE_*_SPEC): an interval such as
/// "15m", "1h" or "1h30m", or a five-field cron expression ("0 2 * * *", UTC).</summary>
/// <remarks>
/// Cron text is turned into a structured calendar here rather than sent as a cron string:
/// the server rewrites cron strings into calendars, so a schedule created from one would
/// never compare equal to its own definition and every start would "update" it.
/// </remarks>
internal static partial class ScheduleSpecText
{
    /// <summary>Shortest interval accepted: a sweep more often than this is a typo, not a plan.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out ScheduleSpec? spec, out string? error)
    {
        spec = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = "is empty; expected an interval like 15m, 1h, 1h30m or a 5-field cron expression like '0 2 * * *'";
            return false;
        }

        if (IntervalShape().IsMatch(trimmed))
        {
            return TryParseInterval(trimmed, out spec, out error);
        }

        return TryParseCron(trimmed, out spec, out error);
    }

    private static bool TryParseInterval(string text, out ScheduleSpec? spec, out string? error)
    {
        spec = null;
        var total = TimeSpan.Zero;
        foreach (Match part in IntervalPart().Matches(text))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || amount > 100_000)
            {
                error = $"'{text}' has an amount out of range";
                return false;
            }

            total += part.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        if (total < MinimumInterval)
        {
            error = $"'{text}' is shorter than the minimum interval of {MinimumInterval.TotalMinutes:0} minute";
            return false;
        }

        error = null;
        spec = new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(total)] };
        return true;
    }

    private static bool TryParseCron(string text, out ScheduleSpec? spec, out string? error)
    {
        spec = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"'{text}' is neither an interval (15m, 1h, 1h30m) nor a 5-field cron expression (minute hour "
                + $"day-of-month month day-of-week)";
            return false;
        }

        if (!TryField(fields[0], 0, 59, null, "minute", out var minutes, out error)
            || !TryField(fields[1], 0, 23, null, "hour", out var hours, out error)
            || !TryField(fields[2], 1, 31, null, "day-of-month", out var daysOfMonth, out error)
            || !TryField(fields[3], 1, 12, MonthNames, "month", out var months, out error)
            || !TryField(fields[4], 0, 7, DayNames, "day-of-week", out var daysOfWeek, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        // Cron ORs a restricted day-of-month with a restricted day-of-week; a calendar ANDs
        // them. Refusing the combination keeps the meaning of what the operator wrote.
        if (fields[2] != "*" && fields[4] != "*")
        {
            error = $"'{text}' restricts both day-of-month and day-of-week; restrict only one of them";
            return false;
        }

        error = null;
        spec = new ScheduleSpec
        {
            Calendars =
            [
                new ScheduleCalendarSpec
                {
                    Second = [ScheduleRange.Zero],
                    Minute = minutes,
                    Hour = hours,
                    DayOfMonth = daysOfMonth,
                    Month = months,
                    DayOfWeek = SundayAsZero(daysOfWeek),
                    Comment = "cron " + text,
                },
            ],
        };
        return true;
    }

    // 7 is Sunday in cron; the calendar only knows 0-6.
    private static List<ScheduleRange> SundayAsZero(List<ScheduleRange> days) =>
        days.SelectMany(SundayAsZero).Distinct().ToList();

    private static IEnumerable<ScheduleRange> SundayAsZero(ScheduleRange range)
    {
        if (range.Start == 7)
        {
            yield return new ScheduleRange(0);
            yield break;
        }

        if (range.End != 7)
        {
            yield return range;
            yield break;
        }

        yield return range.Start == 6 && range.Step == 0 ? new ScheduleRange(6) : range with { End = 6 };
        if (range.Start != 0 && (7 - range.Start) % Math.Max(range.Step, 1) == 0)
        {
            yield return new ScheduleRange(0);
        }
    }

    private static bool TryField(string field, int min, int max, string[]? names, string label,
        out List<ScheduleRange> ranges, out string? error)
    {
        ranges = [];
        foreach (var item in field.Split(','))
        {
            if (!TryItem(item, min, max, names, out var range))
            {
                error = $"{label} field '{field}' is not valid (values {min}-{max}, *, a-b, */n, lists)";
                return false;
            }

            ranges.Add(range);
        }

        error = null;
        return true;
    }

    private static bool TryItem(string item, int min, int max, string[]? names, out ScheduleRange range)
    {
        range = ScheduleRange.Zero;
        var step = 0;
        var body = item;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step)
                || step < 1 || step > max)
            {
                return false;
            }

            body = item[..slash];
        }

        int start, end;
        if (body == "*")
        {
            (start, end) = (min, max == 7 ? 6 : max);
        }
        else
        {
            var dash = body.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!TryValue(body, min, max, names, out start))
                {
                    return false;
                }

                // "5/15" means from 5 to the end in steps of 15, as in most cron dialects.
                end = step > 0 ? (max == 7 ? 6 : max) : start;
            }
            else if (!TryValue(body[..dash], min, max, names, out start) || !TryValue(body[(dash + 1)..], min, max,
                names, out end) || end < start)
            {
                return false;
            }
        }

        range = start == end && step == 0 ? new ScheduleRange(start) : step == 0 ? new ScheduleRange(start,
            end) : new ScheduleRange(start, end, step);
        return true;
    }

    private static bool TryValue(string text, int min, int max, string[]? names, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value >= min && value <= max;
        }

        var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text,
            StringComparison.OrdinalIgnoreCase));
        value = names == MonthNames ? index + 1 : index;
        return index >= 0;
    }

    [GeneratedRegex(@"^(\d+[smhd])+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntervalShape();

    [GeneratedRegex(@"(\d+)([smhd])", RegexOptions.CultureInvariant)]
    private static partial Regex IntervalPart();
}
