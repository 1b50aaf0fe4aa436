using System.Globalization;
using System.Text.Json;
using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.JobTermination;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>Validates a termination message (sent by a runner agent when its job starts or ends, or
/// by the boot shim when the runner never came up) and turns it into a
/// <see cref="JobTerminationInput"/>. Pure: no I/O, no clock. Every problem is reported with
/// its own code and a text naming the field; unknown extra fields are ignored because newer
/// agents send more. Nothing escapes as an exception: what cannot be read is a rejection.
/// The rules follow what the Go agent really writes (see SqsBridge/README.md, "Message contracts").</summary>
public static class TerminationMessageParser
{
    /// <summary>Default body size limit (64 KiB); RUNS_FLEET_MAX_MESSAGE_BYTES overrides it.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private static readonly Dictionary<string, JobEndStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["success"] = JobEndStatus.Success,
        ["failure"] = JobEndStatus.Failure,
        ["timeout"] = JobEndStatus.Timeout,
        ["interrupted"] = JobEndStatus.Interrupted,
        ["started"] = JobEndStatus.Started,
        ["bootstrap_failed"] = JobEndStatus.BootstrapFailed,
    };

    public static ParseResult<JobTerminationInput> Parse(string body) => Parse(body, DefaultMaxBytes, null);

    /// <param name="body">The SQS message body.</param>
    /// <param name="maxBytes">Largest accepted body in UTF-8 bytes, checked before parsing.</param>
    /// <param name="sqsMessageId">Recorded in the input for the audit trail.</param>
    public static ParseResult<JobTerminationInput> Parse(string body, int maxBytes, string? sqsMessageId)
        => ParserGuard.Run(() => ParseChecked(body, maxBytes, sqsMessageId));

    private static ParseResult<JobTerminationInput> ParseChecked(string body, int maxBytes, string? sqsMessageId)
    {
        using var document = JsonFields.ParseObject(body, maxBytes, out var bodyProblem);
        if (document is null)
        {
            return ParseResult.Reject<JobTerminationInput>([bodyProblem!]);
        }

        var fields = JsonFields.Over(document.RootElement);
        var instanceId = InstanceId(fields);
        var status = Status(fields);
        var jobId = JobId(fields, status);
        var exitCode = fields.Int32("exit_code") ?? 0;
        var duration = fields.Number("duration_seconds") ?? 0;
        if (duration < 0)
        {
            fields.Add(RejectionCode.OutOfRange, "duration_seconds",
                $"duration_seconds must not be negative, got {duration.ToString(CultureInfo.InvariantCulture)}");
        }

        // Go's zero time reads as null here, so a started message's "completed_at":"0001-01-01T00:00:00Z"
        // is simply absent and only real values are compared.
        var startedAt = fields.Timestamp("started_at");
        var completedAt = fields.Timestamp("completed_at");
        if (startedAt is { } started && completedAt is { } completed && completed < started)
        {
            fields.Add(RejectionCode.CompletedBeforeStarted, "completed_at",
                $"completed_at ({completed:O}) is before started_at ({started:O})");
        }

        var error = fields.FreeText("error");
        var interruptedBy = fields.FreeText("interrupted_by");
        var bootstrap = status == JobEndStatus.Started ? Bootstrap(fields) : null;

        if (fields.Problems.Count > 0)
        {
            return ParseResult.Reject<JobTerminationInput>(fields.Problems);
        }

        return ParseResult.Accept<JobTerminationInput>(new JobTerminationInput
        {
            InstanceId = instanceId!,
            JobId = jobId,
            Status = status!.Value,
            ExitCode = exitCode,
            DurationSeconds = duration,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            Error = error,
            InterruptedBy = interruptedBy,
            SqsMessageId = sqsMessageId,
            Bootstrap = bootstrap,
        });
    }

    // The agent's start-up timing of a started message (runs-fleet handler.go:185-192). Only metrics
    // are made of it, so a value that is not a number is left out instead of refusing the report
    // that confirms the runner; null when the agent sent none (an older agent).
    private static AgentBootstrapSeconds? Bootstrap(JsonFields fields)
    {
        double Seconds(string name) =>
            fields.Get(name) is { ValueKind: JsonValueKind.Number } value
                && value.TryGetDouble(out var seconds)
                && double.IsFinite(seconds)
                    ? seconds
                    : 0;

        var bootstrap = new AgentBootstrapSeconds(
            Seconds("bootstrap_boot_seconds"),
            Seconds("bootstrap_config_seconds"),
            Seconds("bootstrap_runner_seconds"),
            Seconds("bootstrap_register_seconds"),
            Seconds("bootstrap_total_seconds"));
        return bootstrap.Any ? bootstrap : null;
    }

    // The same rule the activities apply (InstanceIds), so a message the bridge accepts is
    // never refused by the workflow.
    private static string? InstanceId(JsonFields fields)
    {
        var instanceId = fields.RequiredString("instance_id");
        if (instanceId is not null && !InstanceIds.IsValid(instanceId))
        {
            fields.Add(RejectionCode.MalformedInstanceId, "instance_id",
                $"instance_id '{JsonFields.Truncate(instanceId)}' is not an EC2 instance id (i- followed by 8 or 17 "
                    + $"lowercase hex digits)");
            return null;
        }

        return instanceId;
    }

    private static JobEndStatus? Status(JsonFields fields)
    {
        var text = fields.RequiredString("status");
        if (text is null)
        {
            return null;
        }

        if (!Statuses.TryGetValue(text, out var status))
        {
            fields.Add(RejectionCode.UnknownStatus, "status",
                $"status '{JsonFields.Truncate(text)}' is unknown (expected one of "
                    + $"{string.Join(", ", Statuses.Keys)})");
            return null;
        }

        return status;
    }

    // job_id arrives as a string (the Go agent) or a number. The agent sends "" when it failed
    // before it learned its job: valid for every status that ends a run (the workflow then finds
    // the job through the instance). Only a start report must name its job.
    private static long? JobId(JsonFields fields, JobEndStatus? status)
    {
        var value = fields.Get("job_id");
        long? jobId = null;
        var empty = value is null;
        if (value is { ValueKind: JsonValueKind.String or JsonValueKind.Number } given)
        {
            // A number's raw text is its literal, so one parse reads both forms; the reason quotes a string.
            var isString = given.ValueKind == JsonValueKind.String;
            var text = isString ? fields.Text("job_id", given) : given.GetRawText();
            empty = text is { Length: 0 };
            if (text is { Length: > 0 })
            {
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
                {
                    jobId = parsed;
                }
                else
                {
                    var shown = isString ? $"'{JsonFields.Truncate(text)}'" : JsonFields.Truncate(text);
                    fields.Add(RejectionCode.InvalidJobId, "job_id", $"job_id {shown} is not a positive whole number");
                }
            }
        }
        else if (value is { } other)
        {
            fields.WrongType("job_id", "a string or a number", other);
        }

        if (empty && status == JobEndStatus.Started)
        {
            fields.Add(RejectionCode.MissingJobId, "job_id",
                "job_id is missing or empty; a started message must name its job");
        }

        return jobId;
    }
}
