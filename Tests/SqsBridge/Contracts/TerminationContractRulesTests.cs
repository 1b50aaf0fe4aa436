using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Common;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Tests.SqsBridge.Contracts;

/// <summary>The contract decisions one by one: timestamps, Go's zero time, job ids, text that is not text, BOM, anchors.</summary>
public sealed class TerminationContractRulesTests
{
    private static string Body(string extra, string status = "success", string jobId = "\"5\"") =>
        $$"""{"instance_id":"i-0123abcd","job_id":{{jobId}},"status":"{{status}}"{{extra}}}""";

    [Fact]
    public void Nine_digit_start_and_end_that_are_equal_or_one_nanosecond_apart_are_accepted_and_ordered()
    {
        var equal = TerminationMessageParser.Parse(Body(""","started_at":"2026-11-30T15:00:00.123456789Z","completed_at":"2026-11-30T15:00:00.123456789Z" """)).Value!;
        var apart = TerminationMessageParser.Parse(Body(""","started_at":"2026-11-30T15:00:00.123456789Z","completed_at":"2026-11-30T15:00:00.123456790Z" """)).Value!;
        var acrossTick = TerminationMessageParser.Parse(Body(""","started_at":"2026-11-30T15:00:00.123456799Z","completed_at":"2026-11-30T15:00:00.123456800Z" """)).Value!;

        Assert.Equal(equal.StartedAt, equal.CompletedAt);
        Assert.True(apart.CompletedAt >= apart.StartedAt);
        Assert.True(acrossTick.CompletedAt > acrossTick.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), equal.StartedAt);
    }

    [Theory]
    [InlineData("started_at")]
    [InlineData("completed_at")]
    public void Gos_zero_time_in_either_field_is_absent_and_never_compared(string field)
    {
        var other = field == "started_at" ? "completed_at" : "started_at";
        var input = TerminationMessageParser.Parse(Body($$""","{{field}}":"0001-01-01T00:00:00Z","{{other}}":"2026-11-30T15:00:00Z" """)).Value!;

        Assert.Null(field == "started_at" ? input.StartedAt : input.CompletedAt);
        Assert.NotNull(field == "started_at" ? input.CompletedAt : input.StartedAt);
    }

    [Fact]
    public void A_zero_time_written_with_a_non_zero_fraction_is_a_real_value_not_absent()
    {
        var input = TerminationMessageParser.Parse(Body(""","started_at":"0001-01-01T00:00:00.0000001Z" """)).Value!;

        Assert.Equal(1, input.StartedAt?.UtcTicks);
    }

    [Theory]
    [InlineData("success")]
    [InlineData("failure")]
    [InlineData("timeout")]
    [InlineData("interrupted")]
    [InlineData("bootstrap_failed")]
    public void Every_run_end_may_come_without_a_job_id(string status)
    {
        var empty = TerminationMessageParser.Parse(Body("", status, "\"\""));
        Assert.True(empty.IsAccepted, empty.Reason);
        Assert.Null(empty.Value!.JobId);
        Assert.True(TerminationMessageParser.Parse($$"""{"instance_id":"i-0123abcd","status":"{{status}}"}""").IsAccepted);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("interrupted_by")]
    public void A_lone_surrogate_in_free_text_becomes_a_replacement_character(string field)
    {
        var result = TerminationMessageParser.Parse(Body($$""","{{field}}":"disk \ud83d full \ude00 and \ud83d\ude00 ok" """, "interrupted"));

        Assert.True(result.IsAccepted, result.Reason);
        var text = field == "error" ? result.Value!.Error : result.Value!.InterruptedBy;
        Assert.Equal("disk \uFFFD full \uFFFD and 😀 ok", text);
    }

    [Theory]
    [InlineData("""{"instance_id":"i-0123\ud83d","job_id":"5","status":"success"}""", "instance_id")]
    [InlineData("""{"instance_id":"i-0123abcd","job_id":"5\udc00","status":"success"}""", "job_id")]
    [InlineData("""{"instance_id":"i-0123abcd","job_id":"5","status":"succ\ud83dess"}""", "status")]
    [InlineData("""{"instance_id":"i-0123abcd","job_id":"5","status":"success","started_at":"2026-11-30T15:00:00\ud83dZ"}""", "started_at")]
    [InlineData("""{"instance_id":"i-0123abcd","job_id":"5","status":"success","completed_at":"\udfff"}""", "completed_at")]
    [InlineData("""{"instance_id":"i-0123abcd","job_id":"5","status":"success","\ud83d":1}""", null)]
    public void A_lone_surrogate_in_an_identifier_enum_timestamp_or_name_is_invalid_text(string body, string? field)
    {
        var result = TerminationMessageParser.Parse(body);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((RejectionCode.InvalidText, field), (problem.Code, problem.Field));
    }

    [Fact]
    public void A_raw_lone_surrogate_character_in_the_body_is_invalid_text()
    {
        var result = TerminationMessageParser.Parse("{\"instance_id\":\"i-0123abcd\",\"status\":\"success\",\"error\":\"a\ud83d\"}");

        Assert.Equal(RejectionCode.InvalidText, Assert.Single(result.Problems).Code);
    }

    [Theory]
    [InlineData("""{"task_type":"stale_\ud83d","params":{}}""", "task_type")]
    [InlineData("""{"task_type":"stale_ssm","timestamp":"\ud83d"}""", "timestamp")]
    [InlineData("""{"task_type":"stale_ssm","params":{"dry_run":"tr\udc00ue"}}""", "params.dry_run")]
    [InlineData("""{"task_type":"stale_ssm","params":{"grace_minutes":"6\ud83d"}}""", "params.grace_minutes")]
    [InlineData("""{"task_type":"stale_ssm","params":{"\ud83d":1}}""", null)]
    public void Housekeeping_fields_with_a_lone_surrogate_are_invalid_text(string body, string? field)
    {
        var problem = Assert.Single(HousekeepingMessageParser.Parse(body).Problems);

        Assert.Equal((RejectionCode.InvalidText, field), (problem.Code, problem.Field));
    }

    [Fact]
    public void A_byte_order_mark_before_the_object_is_accepted_by_both_parsers()
    {
        Assert.True(TerminationMessageParser.Parse("\uFEFF" + SampleMessages.Read("termination", "success.json")).IsAccepted);
        Assert.True(HousekeepingMessageParser.Parse("\uFEFF{\"task_type\":\"pool_audit\"}").IsAccepted);
        Assert.Equal(RejectionCode.NotJson, TerminationMessageParser.Parse("\uFEFF\uFEFF{}").Problems.Single().Code);
    }

    [Theory]
    [InlineData("""{"instance_id":"i-0a1b2c3d\n","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success","started_at":"2026-11-30T15:00:00Z\n"}""", RejectionCode.InvalidTimestamp, "started_at")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success","completed_at":"2026-11-30T15:00:00.5+01:00\n"}""", RejectionCode.InvalidTimestamp, "completed_at")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5\n","status":"success"}""", RejectionCode.InvalidJobId, "job_id")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success\n"}""", RejectionCode.UnknownStatus, "status")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success","started_at":"٢٠٢٦-11-30T15:00:00Z"}""", RejectionCode.InvalidTimestamp, "started_at")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success","started_at":"2026-11-30T15:00:00+15:00"}""", RejectionCode.InvalidTimestamp, "started_at")]
    [InlineData("""{"instance_id":"i-0a1b2c3d","job_id":"5","status":"success","started_at":"2026-11-30T15:00:00."}""", RejectionCode.InvalidTimestamp, "started_at")]
    public void A_trailing_newline_or_a_look_alike_is_rejected(string body, RejectionCode code, string field)
    {
        var problem = Assert.Single(TerminationMessageParser.Parse(body).Problems);

        Assert.Equal((code, field), (problem.Code, problem.Field));
    }

    [Fact]
    public void Bridge_and_activities_share_one_instance_id_rule()
    {
        foreach (var id in new[] { "i-0a1b2c3d", "i-0123456789abcdef0", "i-0a1b2c3d\n", "i-0123456789abcdef0\n", "i-0A1B2C3D", "i-0a1b2c3", "\ni-0a1b2c3d" })
        {
            var accepted = TerminationMessageParser.Parse($$"""{"instance_id":{{System.Text.Json.JsonSerializer.Serialize(id)}},"status":"bootstrap_failed"}""").IsAccepted;
            Assert.Equal(InstanceIds.IsValid(id), accepted);
        }
    }

    [Fact]
    public void Stale_parameter_paths_with_a_newline_after_the_instance_are_not_claimed()
    {
        Assert.True(RunnerParameterPath.TryGetInstanceId("/runs-fleet/runners/i-0a1b2c3d/config", "/runs-fleet/runners/", out _));
        Assert.False(RunnerParameterPath.TryGetInstanceId("/runs-fleet/runners/i-0a1b2c3d\n/config", "/runs-fleet/runners/", out _));
    }

    [Fact]
    public void An_unforeseen_exception_becomes_an_unreadable_rejection()
    {
        var result = ParserGuard.Run<JobTerminationInput>(() => throw new FormatException("surprise"));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((RejectionCode.Unreadable, (string?)null), (problem.Code, problem.Field));
        Assert.Contains("FormatException: surprise", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mangled_samples_are_rejected_or_accepted_but_never_throw()
    {
        var random = new Random(7);
        var samples = Directory.GetFiles(SampleMessages.Folder("termination"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var outcomes = new HashSet<RejectionCode?>();
        for (var i = 0; i < 2000; i++)
        {
            var chars = samples[i % samples.Count].ToCharArray();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                chars[random.Next(chars.Length)] = "\\\"{}[]:,u0dD8\uFEFF\n\ud83d"[random.Next(16)];
            }

            var result = TerminationMessageParser.Parse(new string(chars));
            outcomes.Add(result.IsAccepted ? null : result.Problems[0].Code);
        }

        Assert.Contains(null, outcomes);
        Assert.Contains(RejectionCode.NotJson, outcomes);
    }
}
