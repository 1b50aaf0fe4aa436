using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.Tests.SqsBridge.Contracts;

namespace RunsFleet.Tests.Contracts.JobTermination;

/// <summary>Workflow ids: one per event, the same for every copy of one report.</summary>
public sealed class JobTerminationIdsTests
{
    private static readonly JobTerminationInput Bootstrap =
        new JobTerminationInput
        {
            InstanceId = "i-0a1b2c3d4e5f6071a",
            JobId = null,
            Status = JobEndStatus.BootstrapFailed,
            ExitCode = 0,
            DurationSeconds = 0,
            StartedAt = null,
            CompletedAt = null,
            Error = "agent download failed",
            InterruptedBy = null,
            SqsMessageId = "m-1",
        };

    private static readonly JobTerminationInput NoJob = new JobTerminationInput
    {
        InstanceId = "i-0a1b2c3d4e5f6071d",
        JobId = null,
        Status = JobEndStatus.Failure,
        ExitCode = -1,
        DurationSeconds = 0,
        StartedAt = null,
        CompletedAt = new DateTimeOffset(2026, 11, 30, 16, 2, 11, TimeSpan.Zero),
        Error = "registration_failed",
        InterruptedBy = null,
        SqsMessageId = "m-1",
    };

    [Fact]
    public void Redelivery_or_a_re_send_with_the_same_content_is_the_same_run()
    {
        var body = SampleMessages.Read("termination", "bootstrap-failed.json");
        var first = TerminationMessageParser.Parse(body, 65536, "sqs-1").Value!;
        var again = TerminationMessageParser.Parse(body, 65536, "sqs-2").Value!;

        // The same report re-encoded (compact, other field order, escapes) is still the same event.
        var reEncoded = TerminationMessageParser.Parse(
            """{"error":"agent download failed: curl: (22) The requested URL returned error: 403","status":"bootstrap_failed","instance_id":"i-0a1b2c3d4e5f6071a"}""",
            65536,
            "sqs-3").Value!;

        Assert.Equal(JobTerminationIds.For(first), JobTerminationIds.For(again));
        Assert.Equal(JobTerminationIds.For(first), JobTerminationIds.For(reEncoded));
        Assert.Matches("^job-termination-bootstrap-i-0a1b2c3d4e5f6071a-[0-9a-f]{16}\\z", JobTerminationIds.For(first));
    }

    [Fact]
    public void A_later_failure_on_the_same_instance_is_a_new_run()
    {
        var later = Bootstrap with { Error = "agent download failed: curl: (6) Could not resolve host" };

        Assert.NotEqual(JobTerminationIds.For(Bootstrap), JobTerminationIds.For(later));
        Assert.NotEqual(JobTerminationIds.For(NoJob), JobTerminationIds.For(NoJob with { CompletedAt = NoJob.CompletedAt!.Value.AddTicks(1) }));
    }

    [Fact]
    public void Every_field_but_the_sqs_message_id_changes_the_discriminator()
    {
        var variants = new[]
        {
            NoJob with { Status = JobEndStatus.Success },
            NoJob with { InstanceId = "i-0a1b2c3d4e5f6071e" },
            NoJob with { ExitCode = 2 },
            NoJob with { DurationSeconds = 0.5 },
            NoJob with { StartedAt = NoJob.CompletedAt },
            NoJob with { CompletedAt = null },
            NoJob with { Error = null },
            NoJob with { Error = string.Empty },
            NoJob with { InterruptedBy = "terminated" },
            NoJob with { JobId = 5 },
        };

        var discriminators = variants.Select(JobTerminationIds.EventDiscriminator).Append(JobTerminationIds.EventDiscriminator(NoJob)).ToList();

        Assert.Equal(discriminators.Count, discriminators.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(JobTerminationIds.EventDiscriminator(NoJob), JobTerminationIds.EventDiscriminator(NoJob with { SqsMessageId = "other" }));
    }

    [Fact]
    public void Text_cannot_be_shifted_between_fields_to_collide()
    {
        var a = NoJob with { Error = "x;interrupted_by=1:y", InterruptedBy = null };
        var b = NoJob with { Error = "x", InterruptedBy = "y" };

        Assert.NotEqual(JobTerminationIds.EventDiscriminator(a), JobTerminationIds.EventDiscriminator(b));
    }

    [Fact]
    public void Ids_keyed_by_job_are_unchanged_and_instance_keyed_ids_name_their_kind()
    {
        var end = NoJob with { JobId = 59112233445 };

        Assert.Equal("job-termination-59112233445-i-0a1b2c3d4e5f6071d", JobTerminationIds.For(end));
        Assert.Equal("job-termination-59112233445-i-0a1b2c3d4e5f6071d-started", JobTerminationIds.For(end with { Status = JobEndStatus.Started }));
        Assert.StartsWith("job-termination-instance-i-0a1b2c3d4e5f6071d-", JobTerminationIds.For(NoJob), StringComparison.Ordinal);
        Assert.Equal(JobTerminationIds.EventDigits, JobTerminationIds.For(NoJob).Split('-')[^1].Length);
    }
}
