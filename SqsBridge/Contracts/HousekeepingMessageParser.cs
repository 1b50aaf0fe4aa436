using System.Globalization;
using System.Text.Json;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>Validates a housekeeping message <c>{"task_type", "timestamp", "params"}</c>. Params
/// may be JSON booleans/numbers or their string forms ("true", "7"), as schedulers send
/// them. An UNKNOWN param key is rejected: a typo like "dry_rnu" must never make a
/// destructive sweep run for real with its defaults.</summary>
public static class HousekeepingMessageParser
{
    public const int DefaultMaxBytes = TerminationMessageParser.DefaultMaxBytes;

    private const string DryRun = "dry_run";
    private const string MaxRuntimeMinutes = "max_runtime_minutes";
    private const string MaxTerminations = "max_terminations";
    private const string GraceMinutes = "grace_minutes";
    private const string RetentionDays = "retention_days";
    private const string SlackMinutes = "slack_minutes";
    private const string MaxJobs = "max_jobs";

    /// <summary>The static bounds: what the worker's settings themselves allow (the options classes' ranges),
    /// so a value no configuration could take is refused here and ends in the DLQ. Whether a value
    /// is more careful than the CONFIGURED one (a threshold only longer, a cap only lower) only the
    /// worker knows: its plan/settings activity refuses the rest (SweepOverrides).</summary>
    private static readonly Dictionary<string, (int Min, int Max)> IntRanges = new(StringComparer.Ordinal)
    {
        [MaxRuntimeMinutes] = (1, Math.Max(StrayInstanceSweepInput.MaxRuntimeLimit,
            OrphanedJobSweepInput.MaxRuntimeLimit)),
        [MaxTerminations] = (1, StrayInstanceSweepInput.MaxTerminationsLimit),
        [GraceMinutes] = (1, StaleSsmSweepInput.MaxGraceMinutes),
        [RetentionDays] = (1, JobArchiveInput.MaxRetentionDays),
        [SlackMinutes] = (1, OrphanedJobSweepInput.MaxSlackMinutes),
        [MaxJobs] = (1, OrphanedJobSweepInput.MaxJobsLimit),
    };

    /// <summary>The params each sweep understands.</summary>
    public static IReadOnlyList<string> KnownParams(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances => [DryRun, MaxRuntimeMinutes, MaxTerminations],
        SweepKind.StaleSsm => [DryRun, GraceMinutes],
        SweepKind.JobArchive => [DryRun, RetentionDays],
        SweepKind.PoolAudit => [DryRun],
        SweepKind.OrphanedJobs => [DryRun, MaxRuntimeMinutes, SlackMinutes, MaxJobs],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The param that caps what a run of <paramref name="kind"/> may destroy (above it, nothing is
    /// done), or null for a sweep without one.</summary>
    public static string? CapParam(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances => MaxTerminations,
        SweepKind.OrphanedJobs => MaxJobs,
        _ => null,
    };

    /// <summary>The param that asks for a dry run, the same for every sweep.</summary>
    public const string DryRunParam = DryRun;

    public static ParseResult<HousekeepingTrigger> Parse(string body) => Parse(body, DefaultMaxBytes);

    /// <param name="body">The SQS message body.</param>
    /// <param name="maxBytes">Largest accepted body in UTF-8 bytes, checked before parsing.</param>
    public static ParseResult<HousekeepingTrigger> Parse(string body, int maxBytes)
        => ParserGuard.Run(() => ParseChecked(body, maxBytes));

    private static ParseResult<HousekeepingTrigger> ParseChecked(string body, int maxBytes)
    {
        using var document = JsonFields.ParseObject(body, maxBytes, out var bodyProblem);
        if (document is null)
        {
            return ParseResult.Reject<HousekeepingTrigger>([bodyProblem!]);
        }

        var fields = JsonFields.Over(document.RootElement);
        SweepKind? kind = null;
        var taskType = fields.RequiredString("task_type");
        if (taskType is not null)
        {
            if (SweepNames.TryParseTaskType(taskType, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                var known = string.Join(
                    ", ",
                    Enum.GetValues<SweepKind>().Select(SweepNames.TaskType).Concat(SweepNames.RunsFleetAliases.Keys));
                var runsFleetOnly = SweepNames.RunsFleetOnlyTaskTypes.Contains(taskType)
                    ? " (a runs-fleet task with no sweep here: runs-fleet's own housekeeping keeps it)"
                    : string.Empty;
                fields.Add(
                    RejectionCode.UnknownTaskType,
                    "task_type",
                    $"task_type '{JsonFields.Truncate(taskType)}' is unknown{runsFleetOnly} (expected one of {known})");
            }
        }

        var timestamp = fields.Timestamp("timestamp");
        var values = kind is null ? null : Params(fields, kind.Value);

        if (fields.Problems.Count > 0 || values is null)
        {
            return ParseResult.Reject<HousekeepingTrigger>(fields.Problems);
        }

        var dryRun = values.Bool(DryRun) ?? false;
        object input = kind!.Value switch
        {
            SweepKind.StrayInstances => new StrayInstanceSweepInput { DryRun = dryRun,
                MaxRuntimeMinutes = values.Int(MaxRuntimeMinutes), MaxTerminations = values.Int(MaxTerminations) },
            SweepKind.StaleSsm => new StaleSsmSweepInput { DryRun = dryRun, GraceMinutes = values.Int(GraceMinutes) },
            SweepKind.JobArchive => new JobArchiveInput { DryRun = dryRun, RetentionDays = values.Int(RetentionDays) },
            SweepKind.OrphanedJobs => new OrphanedJobSweepInput
            {
                DryRun = dryRun,
                MaxRuntimeMinutes = values.Int(MaxRuntimeMinutes),
                SlackMinutes = values.Int(SlackMinutes),
                MaxJobs = values.Int(MaxJobs),
            },
            _ => new PoolAuditInput { DryRun = dryRun },
        };
        return ParseResult.Accept<HousekeepingTrigger>(new HousekeepingTrigger(kind.Value, input, timestamp));
    }

    private static ParamValues? Params(JsonFields fields, SweepKind kind)
    {
        var values = new ParamValues();
        var element = fields.Get("params");
        if (element is null)
        {
            return values;
        }

        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            fields.WrongType("params", "an object", element.Value);
            return null;
        }

        var known = KnownParams(kind);
        foreach (var property in element.Value.EnumerateObject())
        {
            // Every property name was read as text by the duplicate-property check in
            // JsonFields.ParseObject, so a name with a lone surrogate never gets here.
            var name = property.Name;
            var field = "params." + name;
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                fields.Add(RejectionCode.UnknownParam, field,
                    $"{field} is not a parameter of {SweepNames.TaskType(kind)} (known: {string.Join(", ", known)})");
            }
            else if (name == DryRun)
            {
                values.Bools[DryRun] = ReadBool(fields, field, property.Value);
            }
            else
            {
                values.Ints[name] = ReadInt(fields, field, property.Value, IntRanges[name]);
            }
        }

        return values;
    }

    private static bool? ReadBool(JsonFields fields, string field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var text = fields.Text(field, value);
                if (text is null)
                {
                    return null;
                }

                if (bool.TryParse(text, out var parsed))
                {
                    return parsed;
                }

                fields.Add(RejectionCode.WrongType, field,
                    $"{field} must be true or false, got '{JsonFields.Truncate(text)}'");
                return null;
            default:
                fields.WrongType(field, "a boolean (or \"true\"/\"false\")", value);
                return null;
        }
    }

    private static int? ReadInt(JsonFields fields, string field, JsonElement value, (int Min, int Max) range)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            fields.WrongType(field, "a whole number", value);
            return null;
        }

        // A JSON number's raw text is its literal, so one parse reads both forms (and refuses 1.5 and 1e3).
        var text = value.ValueKind == JsonValueKind.String ? fields.Text(field, value) : value.GetRawText();
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            fields.Add(RejectionCode.WrongType, field,
                $"{field} must be a whole number, got {JsonFields.Truncate(value.GetRawText())}");
            return null;
        }

        if (number < range.Min || number > range.Max)
        {
            fields.Add(RejectionCode.OutOfRange, field,
                $"{field} must be from {range.Min} to {range.Max}, got {number}");
            return null;
        }

        return (int)number;
    }

    private sealed class ParamValues
    {
        public Dictionary<string, bool?> Bools { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int?> Ints { get; } = new(StringComparer.Ordinal);

        public bool? Bool(string name) => Bools.GetValueOrDefault(name);

        public int? Int(string name) => Ints.GetValueOrDefault(name);
    }
}
