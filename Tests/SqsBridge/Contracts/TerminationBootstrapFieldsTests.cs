using RunsFleet.Contracts.JobTermination;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Tests.SqsBridge.Contracts;

/// <summary>
/// The agent's start-up timing (bootstrap_*_seconds, runs-fleet pkg/termination/handler.go:185-192)
/// reaches the workflow from a started message, and only from one; a bad value never costs the report.
/// </summary>
public sealed class TerminationBootstrapFieldsTests
{
    [Fact]
    public void Started_sample_keeps_every_bootstrap_segment()
    {
        var input = TerminationMessageParser.Parse(SampleMessages.Read("termination", "started.json")).Value!;

        Assert.Equal(new AgentBootstrapSeconds(11.423, 0.84, 3.2715, 1.9, 17.4345), input.Bootstrap);
    }

    [Fact]
    public void Segments_are_read_only_for_a_start_report()
    {
        // The newer agent's sample carries bootstrap_download_seconds on a success: not a start, not kept.
        var newer = SampleMessages.Read("termination", "newer-agent-extra-fields.json");
        var success = TerminationMessageParser.Parse(newer).Value!;
        var end = TerminationMessageParser.Parse(
            """{"instance_id":"i-0123abcd","job_id":"5","status":"success","bootstrap_total_seconds":9}""").Value!;

        Assert.Null(success.Bootstrap);
        Assert.Null(end.Bootstrap);
    }

    [Fact]
    public void A_start_report_from_an_older_agent_has_none()
    {
        var input = TerminationMessageParser.Parse(
            """{"instance_id":"i-0123abcd","job_id":"5","status":"started"}""").Value!;

        Assert.Null(input.Bootstrap);
    }

    [Theory]
    [InlineData("\"4.2\"")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("true")]
    public void A_value_that_is_not_a_number_is_left_out_and_the_report_accepted(string value)
    {
        var parsed = TerminationMessageParser.Parse(
            $$"""{"instance_id":"i-0123abcd","job_id":"5","status":"started","bootstrap_boot_seconds":{{value}},"""
                + """ "bootstrap_total_seconds":12.5}""".TrimStart());

        Assert.True(parsed.IsAccepted, parsed.Reason);
        Assert.Equal(new AgentBootstrapSeconds(0, 0, 0, 0, 12.5), parsed.Value!.Bootstrap);
        Assert.Equal(JobEndStatus.Started, parsed.Value.Status);
    }
}
