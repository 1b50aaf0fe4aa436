using System.Text;
using RunsFleet.Activities.Jobs;
using RunsFleet.Workflows.JobTermination;
using Temporalio.Converters;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>What the Temporal UI shows: payloads as Temporal's default converter writes them.</summary>
public sealed class TerminationPayloadTests
{
    [Fact]
    public void Result_shows_outcome_by_name_and_round_trips()
    {
        var result = new JobTerminationResult
        {
            Outcome = JobTerminationOutcome.AlreadyTerminal,
            JobStatus = "completed",
            Pool = "linux-x64",
            ParametersDeleted = 0,
            ParametersAlreadyGone = 2,
            MetricsSent = 0,
            Detail = "job 1 was already completed",
        };

        var payload = DataConverter.Default.PayloadConverter.ToPayload(result);
        var json = Encoding.UTF8.GetString(payload.Data.ToByteArray());

        Assert.Contains("\"Outcome\":\"AlreadyTerminal\"", json, StringComparison.Ordinal);
        Assert.Equal(result, DataConverter.Default.PayloadConverter.ToValue<JobTerminationResult>(payload));
    }

    [Fact]
    public void Activity_outcomes_travel_by_name()
    {
        var completion = new CompleteJobResult(CompleteJobOutcome.OwnedByOtherInstance, "arm64", "running", "i-0fedcba9876543210");
        var start = new RecordJobStartedResult(RecordJobStartedOutcome.AlreadyRecorded, null, "running", "2026-11-20T10:00:00Z");

        var completionJson = Encoding.UTF8.GetString(DataConverter.Default.PayloadConverter.ToPayload(completion).Data.ToByteArray());
        var startJson = Encoding.UTF8.GetString(DataConverter.Default.PayloadConverter.ToPayload(start).Data.ToByteArray());

        Assert.Contains("\"Outcome\":\"OwnedByOtherInstance\"", completionJson, StringComparison.Ordinal);
        Assert.Contains("\"Outcome\":\"AlreadyRecorded\"", startJson, StringComparison.Ordinal);
    }
}
