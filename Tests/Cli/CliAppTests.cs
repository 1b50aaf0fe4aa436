using RunsFleet.Hosting;
using Amazon.SQS;
using RunsFleet.Cli;
using RunsFleet.Cli.Common;
using RunsFleet.Tests.Cli.Support;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public async Task An_unknown_command_is_a_usage_error_on_stderr_with_exit_code_2()
    {
        var run = await new CliHarness().RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("frobnicate", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Help_lists_the_global_output_option_and_exits_0()
    {
        var run = await new CliHarness().RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--output", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_map_to_distinct_exit_codes_and_one_line()
    {
        var cases = new (Exception Error, int Code)[]
        {
            (new CliException(ExitCodes.ConfirmationRequired, "x"), ExitCodes.ConfirmationRequired),
            (new OperationCanceledException(), ExitCodes.Interrupted),
            (new AmazonSQSException("The specified queue does not exist.\nreally") { ErrorCode = "AWS.SimpleQueueService.NonExistentQueue" }, ExitCodes.NotFound),
            (new AmazonSQSException("Access denied") { ErrorCode = "AccessDenied" }, ExitCodes.AwsError),
            (new InvalidOperationException("boom\nsecond line"), ExitCodes.Failure),
        };

        foreach (var (error, code) in cases)
        {
            var (actual, message) = CliApp.Explain(error);
            Assert.Equal(code, actual);
            Assert.DoesNotContain('\n', message);
            Assert.False(string.IsNullOrWhiteSpace(message));
        }

        var noRegion = CliApp.Explain(new Amazon.Runtime.AmazonClientException("No RegionEndpoint or ServiceURL configured"));
        Assert.Equal(ExitCodes.AwsError, noRegion.Code);
        Assert.Contains("set AWS_REGION", noRegion.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.TemporalError, CliApp.Explain(new RpcException(RpcException.StatusCode.Unavailable, "connection refused", null)).Code);
        Assert.Equal(ExitCodes.NotFound, CliApp.Explain(new RpcException(RpcException.StatusCode.NotFound, "schedule not found", null)).Code);
    }
}
