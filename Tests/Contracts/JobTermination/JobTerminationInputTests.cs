using RunsFleet.Contracts.JobTermination;
using Temporalio.Converters;

namespace RunsFleet.Tests.Contracts.JobTermination;

/// <summary>The workflow input is recorded in histories: its JSON must stay what the positional record wrote.</summary>
public sealed class JobTerminationInputTests
{
    // Written by the positional record (main at a4b2c04) through STJ: declaration order, PascalCase.
    private const string Positional = "{\"InstanceId\":\"i-0a1b2c3d4e5f6071a\",\"JobId\":42,\"Status\":\"started\","
        + "\"ExitCode\":3,\"DurationSeconds\":1.5,\"StartedAt\":\"2026-11-30T16:02:11+00:00\",\"CompletedAt\":null,"
        + "\"Error\":\"e\",\"InterruptedBy\":null,\"SqsMessageId\":\"m-1\",\"Bootstrap\":{\"Boot\":1.25,\"Config\":0.5,"
        + "\"RunnerDownload\":3,\"Registration\":2,\"Total\":6.75,\"Phases\":[{},{},{},{},{}],\"Any\":true}}";

    private static readonly JobTerminationInput Started = new()
    {
        InstanceId = "i-0a1b2c3d4e5f6071a",
        JobId = 42,
        Status = JobEndStatus.Started,
        ExitCode = 3,
        DurationSeconds = 1.5,
        StartedAt = new DateTimeOffset(2026, 11, 30, 16, 2, 11, TimeSpan.Zero),
        CompletedAt = null,
        Error = "e",
        InterruptedBy = null,
        SqsMessageId = "m-1",
        Bootstrap = new AgentBootstrapSeconds(1.25, 0.5, 3, 2, 6.75),
    };

    [Fact]
    public void Json_is_what_the_positional_record_wrote_and_reads_back()
    {
        var converter = DataConverter.Default.PayloadConverter;
        var payload = converter.ToPayload(Started);
        Assert.Equal(Positional, payload.Data.ToStringUtf8());
        Assert.Equal(Started, converter.ToValue(payload, typeof(JobTerminationInput)));
    }

    [Fact]
    public void An_input_recorded_before_bootstrap_was_read_reads_with_no_bootstrap()
    {
        var older = Positional[..Positional.IndexOf(",\"Bootstrap\"", StringComparison.Ordinal)] + "}";
        var payload = new Temporalio.Api.Common.V1.Payload
        {
            Metadata = { ["encoding"] = Google.Protobuf.ByteString.CopyFromUtf8("json/plain") },
            Data = Google.Protobuf.ByteString.CopyFromUtf8(older),
        };

        var input = (JobTerminationInput)DataConverter.Default.PayloadConverter.ToValue(payload, typeof(JobTerminationInput))!;

        Assert.Equal(Started with { Bootstrap = null }, input);
    }
}
