using System.Globalization;
using System.Text;
using Temporalio.Client.Schedules;
using Temporalio.Converters;

namespace RunsFleet.Worker.Schedules;

/// <summary>Compares a desired schedule with the one the server describes, field group by field
/// group, in a canonical form: ranges normalised (end before start = start, step 0 = 1),
/// empty time zone = UTC, workflow input compared as its encoded payload. Only what the
/// definitions manage is compared; fields an operator may set (notes, memo) are ignored.</summary>
internal static class ScheduleDrift
{
    /// <summary>Names of the parts that differ (spec, policy, action, paused); empty when in sync.</summary>
    public static IReadOnlyList<string> Find(SweepScheduleDefinition desired, Schedule described)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(described);
        var differences = new (string Part, string Desired, string Described)[]
            {
                ("spec", Canonical(desired.Schedule.Spec), Canonical(described.Spec)),
                ("policy", Canonical(desired.Schedule.Policy), Canonical(described.Policy)),
                ("action", Canonical(desired.Schedule.Action), Canonical(described.Action)),
            }
            .Where(p => !string.Equals(p.Desired, p.Described, StringComparison.Ordinal))
            .Select(p => p.Part)
            .ToList();
        if (desired.PinnedPaused is bool paused && paused != described.State.Paused)
        {
            differences.Add(paused ? "paused" : "unpaused");
        }

        return differences;
    }

    /// <summary>Canonical text of a spec (what times it fires at).</summary>
    public static string Canonical(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        var groups = new (string Name, IEnumerable<string> Items)[]
        {
            ("interval",
                spec.Intervals.Select(i => $"every={i.Every.Ticks};offset={(i.Offset ?? TimeSpan.Zero).Ticks}")),
            ("calendar", spec.Calendars.Select(Canonical)),
            ("cron", spec.CronExpressions),
            ("skip", spec.Skip.Select(Canonical)),
        };
        foreach (var (name, items) in groups)
        {
            foreach (var item in items.Order(StringComparer.Ordinal))
            {
                text.Append(name).Append('(').Append(item).Append(')');
            }
        }

        text.Append("tz=").Append(string.IsNullOrEmpty(spec.TimeZoneName) ? "UTC" : spec.TimeZoneName);
        text.Append(";jitter=").Append((spec.Jitter ?? TimeSpan.Zero).Ticks);
        text.Append(";start=")
            .Append(spec.StartAt?.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture) ?? "-");
        text.Append(";end=").Append(spec.EndAt?.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture) ?? "-");
        return text.ToString();
    }

    private static string Canonical(ScheduleCalendarSpec calendar) =>
        string.Join(
            ';',
            "s=" + Ranges(calendar.Second),
            "m=" + Ranges(calendar.Minute),
            "h=" + Ranges(calendar.Hour),
            "dom=" + Ranges(calendar.DayOfMonth),
            "mon=" + Ranges(calendar.Month),
            "y=" + Ranges(calendar.Year),
            "dow=" + Ranges(calendar.DayOfWeek));

    private static string Ranges(IReadOnlyCollection<ScheduleRange> ranges) =>
        string.Join(
            ',',
            ranges.Select(r => $"{r.Start}-{Math.Max(r.End, r.Start)}/{Math.Max(r.Step, 1)}")
                .Order(StringComparer.Ordinal));

    private static string Canonical(SchedulePolicy policy) =>
        $"overlap={policy.Overlap};catchup={policy.CatchupWindow?.Ticks};pauseOnFailure={policy.PauseOnFailure}";

    private static string Canonical(ScheduleAction action)
    {
        if (action is not ScheduleActionStartWorkflow start)
        {
            return "other:" + action.GetType().Name;
        }

        var attributes = start.Options.TypedSearchAttributes is { } collection
            ? string.Join(',', collection.UntypedValues.Select(p =>
                $"{p.Key.Name}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")
                    .Order(StringComparer.Ordinal))
            : string.Empty;
        return string.Join(
            ';',
            "workflow=" + start.Workflow,
            "id=" + start.Options.Id,
            "queue=" + start.Options.TaskQueue,
            "args=" + string.Join('|', start.Args.Select(Encoded)),
            "attributes=" + attributes);
    }

    // Described arguments come back as encoded payloads; desired ones are objects. Both are
    // compared as the payload the default converter would send.
    private static string Encoded(object? argument)
    {
        var payload = argument switch
        {
            IEncodedRawValue encoded => encoded.Payload,
            IRawValue raw => raw.Payload,
            _ => DataConverter.Default.PayloadConverter.ToPayload(argument),
        };
        var encoding = payload.Metadata.TryGetValue("encoding", out var value) ? value.ToStringUtf8() : string.Empty;
        return encoding + ":" + payload.Data.ToStringUtf8();
    }
}
