using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Tests.SqsBridge.Contracts;

public sealed class TerminationMessageParserTests
{
    private const string Valid =
        """{"instance_id":"i-0a1b2c3d4e5f60718","job_id":"48213377001","status":"success","exit_code":0,"duration_seconds":412,"started_at":"2026-11-20T10:00:00Z","completed_at":"2026-11-20T10:06:52Z"}""";

    [Fact]
    public void Sample_folder_holds_every_kind_of_termination_sample()
    {
        Assert.True(SampleMessages.Termination.Count >= 8, "the termination samples were not found");
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Termination), MemberType = typeof(SampleMessages))]
    public void Every_sample_is_accepted(string sample)
    {
        var result = TerminationMessageParser.Parse(SampleMessages.Read("termination", sample));

        Assert.True(result.IsAccepted, $"{sample}: {result.Reason}");
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Success_sample_maps_every_field()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "success.json"), 65536, "msg-1").Value!;

        Assert.Equal("i-0b3c5d7e9f1a2b4c6", input.InstanceId);
        Assert.Equal(59112233445L, input.JobId);
        Assert.Equal(JobEndStatus.Success, input.Status);
        Assert.Equal(0, input.ExitCode);
        Assert.Equal(412, input.DurationSeconds);

        // 9 fractional digits: the first 7 are kept (.5122079), the rest cut off.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 14, 3, TimeSpan.Zero).AddTicks(5_122_079), input.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 20, 55, TimeSpan.Zero).AddTicks(9_041_300), input.CompletedAt);
        Assert.Null(input.Error);
        Assert.Equal("msg-1", input.SqsMessageId);
        Assert.Equal("job-termination-59112233445-i-0b3c5d7e9f1a2b4c6", JobTerminationIds.For(input));
    }

    [Fact]
    public void Interrupted_sample_keeps_what_interrupted_it_and_a_negative_exit_code()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "interrupted.json")).Value!;

        Assert.Equal(JobEndStatus.Interrupted, input.Status);
        Assert.Equal("terminated", input.InterruptedBy);
        Assert.Equal(-1, input.ExitCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, 250, TimeSpan.Zero), input.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 1, 1, 750, TimeSpan.Zero), input.CompletedAt);
    }

    [Fact]
    public void Started_sample_reads_gos_zero_completed_at_as_absent()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "started.json")).Value!;

        Assert.Equal(JobEndStatus.Started, input.Status);
        Assert.Equal(59112233445L, input.JobId);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 14, 3, TimeSpan.Zero).AddTicks(5_122_079), input.StartedAt);
        Assert.Null(input.CompletedAt);
        Assert.Equal("job-termination-59112233445-i-0b3c5d7e9f1a2b4c6-started", JobTerminationIds.For(input));
    }

    [Fact]
    public void Failure_sample_decodes_go_html_escapes_in_the_error()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "failure.json")).Value!;

        Assert.Equal("exit status 2: make <test> && deploy", input.Error);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero), input.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 1, 35, 400, TimeSpan.Zero), input.CompletedAt);
    }

    [Fact]
    public void Timeout_sample_with_equal_nanosecond_start_and_end_is_accepted()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "timeout-max-runtime.json")).Value!;

        Assert.Equal(JobEndStatus.Timeout, input.Status);
        Assert.Equal(input.StartedAt, input.CompletedAt);
        Assert.Equal("max runtime 360m exceeded", input.Error);
    }

    [Fact]
    public void Failure_before_the_job_id_is_a_valid_message_without_job_or_start()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "failure-before-job-id.json")).Value!;

        Assert.Equal(JobEndStatus.Failure, input.Status);
        Assert.Null(input.JobId);
        Assert.Null(input.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 16, 2, 11, TimeSpan.Zero).AddTicks(9_827_341), input.CompletedAt);
        Assert.Equal("registration_failed: runner config not found", input.Error);
        Assert.Matches("^job-termination-instance-i-0a1b2c3d4e5f6071d-[0-9a-f]{16}\\z", JobTerminationIds.For(input));
    }

    [Fact]
    public void Bootstrap_failure_without_a_job_id_is_accepted_with_a_null_job()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "bootstrap-failed.json")).Value!;

        Assert.Equal(JobEndStatus.BootstrapFailed, input.Status);
        Assert.Null(input.JobId);
        Assert.Equal((0, 0d), (input.ExitCode, input.DurationSeconds));
        Assert.Equal("agent download failed: curl: (22) The requested URL returned error: 403", input.Error);
        Assert.Matches("^job-termination-bootstrap-i-0a1b2c3d4e5f6071a-[0-9a-f]{16}\\z", JobTerminationIds.For(input));
    }

    [Theory]
    [InlineData("\"48213377001\"", 48213377001L)]
    [InlineData("48213377001", 48213377001L)]
    [InlineData("1", 1L)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    public void Job_id_is_accepted_as_a_string_or_a_number(string jobIdJson, long expected)
    {
        var body = $$"""{"instance_id":"i-0123abcd","job_id":{{jobIdJson}},"status":"failure"}""";

        Assert.Equal(expected, TerminationMessageParser.Parse(body).Value?.JobId);
    }

    [Theory]
    [InlineData("i-0123abcd")]
    [InlineData("i-0123456789abcdef0")]
    public void Instance_ids_of_8_and_17_hex_digits_are_accepted(string instanceId)
    {
        var body = $$"""{"instance_id":"{{instanceId}}","job_id":"5","status":"started"}""";

        Assert.True(TerminationMessageParser.Parse(body).IsAccepted);
    }

    [Theory]
    [InlineData("2026-11-20T10:00:00+02:00", "2026-11-20T08:00:01Z")]
    [InlineData("2026-11-20T10:00:00.5Z", "2026-11-20T10:00:00.5Z")]
    [InlineData("2026-11-20t10:00:00z", "2026-11-20T10:00:00Z")]
    public void Rfc3339_timestamps_with_offsets_and_fractions_are_accepted(string startedAt, string completedAt)
    {
        var body = $$"""{"instance_id":"i-0123abcd","job_id":"5","status":"success","started_at":"{{startedAt}}","completed_at":"{{completedAt}}"}""";

        var result = TerminationMessageParser.Parse(body);

        Assert.True(result.IsAccepted, result.Reason);
    }

    [Fact]
    public void Equal_start_and_completion_is_accepted()
    {
        var body = """{"instance_id":"i-0123abcd","job_id":"5","status":"timeout","started_at":"2026-11-20T10:00:00Z","completed_at":"2026-11-20T10:00:00Z"}""";

        Assert.True(TerminationMessageParser.Parse(body).IsAccepted);
    }

    public static TheoryData<string, RejectionCode, string?> InvalidMessages => new()
    {
        { "not json at all", RejectionCode.NotJson, null },
        { "{\"instance_id\":\"i-0123abcd\",", RejectionCode.NotJson, null },
        { "", RejectionCode.NotJson, null },
        { """{"instance_id":"i-0123abcd","instance_id":"i-0123abce","job_id":"5","status":"success"}""", RejectionCode.NotJson, null },
        { "[1,2,3]", RejectionCode.NotAnObject, null },
        { "\"a string\"", RejectionCode.NotAnObject, null },
        { "null", RejectionCode.NotAnObject, null },
        { """{"job_id":"5","status":"success"}""", RejectionCode.MissingField, "instance_id" },
        { """{"instance_id":"","job_id":"5","status":"success"}""", RejectionCode.MissingField, "instance_id" },
        { """{"instance_id":null,"job_id":"5","status":"success"}""", RejectionCode.MissingField, "instance_id" },
        { """{"instance_id":"i-0123ABCD","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":"i-0123abc","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":"i-0123456789abcdef","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":"0123abcd","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":"i-0123abcg","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":" i-0123abcd","job_id":"5","status":"success"}""", RejectionCode.MalformedInstanceId, "instance_id" },
        { """{"instance_id":"i-0123abcd","status":"started"}""", RejectionCode.MissingJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":"","status":"started"}""", RejectionCode.MissingJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":null,"status":"started"}""", RejectionCode.MissingJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":"0","status":"success"}""", RejectionCode.InvalidJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":-4,"status":"success"}""", RejectionCode.InvalidJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":"12a","status":"success"}""", RejectionCode.InvalidJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":1.5,"status":"success"}""", RejectionCode.InvalidJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":"99999999999999999999","status":"success"}""", RejectionCode.InvalidJobId, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":true,"status":"success"}""", RejectionCode.WrongType, "job_id" },
        { """{"instance_id":"i-0123abcd","job_id":"5"}""", RejectionCode.MissingField, "status" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"succeeded"}""", RejectionCode.UnknownStatus, "status" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"SUCCESS"}""", RejectionCode.UnknownStatus, "status" },
        { """{"instance_id":42,"job_id":"5","status":"success"}""", RejectionCode.WrongType, "instance_id" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":1}""", RejectionCode.WrongType, "status" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","exit_code":"0"}""", RejectionCode.WrongType, "exit_code" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","exit_code":1.5}""", RejectionCode.WrongType, "exit_code" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","duration_seconds":"412"}""", RejectionCode.WrongType, "duration_seconds" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","duration_seconds":-1}""", RejectionCode.OutOfRange, "duration_seconds" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","error":{"text":"x"}}""", RejectionCode.WrongType, "error" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"interrupted","interrupted_by":7}""", RejectionCode.WrongType, "interrupted_by" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","started_at":1732096800}""", RejectionCode.WrongType, "started_at" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","started_at":"2026-11-20 10:00:00"}""", RejectionCode.InvalidTimestamp, "started_at" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","completed_at":"2026-11-20T10:00:00"}""", RejectionCode.InvalidTimestamp, "completed_at" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","completed_at":"2026-13-40T10:00:00Z"}""", RejectionCode.InvalidTimestamp, "completed_at" },
        { """{"instance_id":"i-0123abcd","job_id":"5","status":"success","started_at":"2026-11-20T10:00:01Z","completed_at":"2026-11-20T10:00:00Z"}""", RejectionCode.CompletedBeforeStarted, "completed_at" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public void Each_invalid_kind_is_rejected_with_its_own_reason(string body, RejectionCode code, string? field)
    {
        var result = TerminationMessageParser.Parse(body);

        Assert.False(result.IsAccepted);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(code, problem.Code);
        Assert.Equal(field, problem.Field);
        if (field is not null)
        {
            Assert.Contains(field, problem.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_problem_of_a_message_is_reported_once()
    {
        var body = """{"instance_id":"I-XYZ","job_id":"abc","status":"done","exit_code":"x","started_at":"yesterday"}""";

        var codes = TerminationMessageParser.Parse(body).Problems.Select(p => p.Code).Order().ToArray();

        Assert.Equal(
            new[] { RejectionCode.WrongType, RejectionCode.MalformedInstanceId, RejectionCode.InvalidJobId, RejectionCode.UnknownStatus, RejectionCode.InvalidTimestamp }.Order(),
            codes);
    }

    [Fact]
    public void Unknown_extra_fields_of_any_type_are_ignored()
    {
        var body = """{"instance_id":"i-0123abcd","job_id":"5","status":"success","future":{"nested":[1,2,{"x":null}]},"flag":true}""";

        Assert.True(TerminationMessageParser.Parse(body).IsAccepted);
    }

    [Fact]
    public void A_body_over_the_limit_is_rejected_before_parsing()
    {
        // Invalid JSON past the limit: only the size may be reported, proving no parse happened.
        var body = Valid[..^1] + ",\"padding\":\"" + new string('x', 70_000) + "\"";

        var result = TerminationMessageParser.Parse(body);

        Assert.Equal(RejectionCode.Oversized, Assert.Single(result.Problems).Code);
        Assert.Contains("65536", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_limit_counts_utf8_bytes_and_is_configurable()
    {
        var body = Valid[..^1] + ",\"note\":\"" + new string('é', 300) + "\"}";

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) > body.Length + 10);
        Assert.Equal(RejectionCode.Oversized, TerminationMessageParser.Parse(body, body.Length + 10, null).Problems.Single().Code);
        Assert.True(TerminationMessageParser.Parse(body, System.Text.Encoding.UTF8.GetByteCount(body), null).IsAccepted);
    }
}
