using Amazon.Runtime;
using Amazon.SQS;
using RunsFleet.Cli;
using RunsFleet.Cli.Common;
using RunsFleet.Cli.Dlq;
using RunsFleet.Hosting;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Workflows.Sweeps;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public async Task An_unknown_command_is_a_usage_error_on_stderr_with_exit_code_2()
    {
        var run = await new CliHarness().RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("runs-fleet: Unrecognized command or argument 'frobnicate' (see 'runs-fleet --help')", run.Error.TrimEnd());
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task An_unknown_subcommand_is_one_line_pointing_at_its_group_help()
    {
        var unknown = await new CliHarness().RunAsync("dlq", "lst");
        var missing = await new CliHarness().RunAsync("dlq");

        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Equal("runs-fleet: Unrecognized command or argument 'lst' (see 'runs-fleet dlq --help')", unknown.Error.TrimEnd());
        Assert.Equal("runs-fleet: Required command was not provided (see 'runs-fleet dlq --help')", missing.Error.TrimEnd());
    }

    [Fact]
    public async Task A_bad_value_is_one_line_in_the_docs_case_and_never_a_dotnet_type_name()
    {
        var output = await new CliHarness().RunAsync("--output", "xml", "doctor");
        var number = await new CliHarness().RunAsync("job", "show", "abc");
        var max = await new CliHarness().RunAsync("dlq", "list", "--max", "1.5");

        Assert.Equal(
            "runs-fleet: --output: Argument 'xml' not recognized. Must be one of: 'auto', 'text', 'json' (see 'runs-fleet doctor --help')",
            output.Error.TrimEnd());
        Assert.Equal(
            "runs-fleet: job-id: Cannot parse argument 'abc' for command 'show' (expected a whole number) (see 'runs-fleet job show --help')",
            number.Error.TrimEnd());
        // A validator that read the value used to crash here with a stack trace.
        Assert.Equal(
            "runs-fleet: --max must be a whole number of at least 1, got '1.5' (see 'runs-fleet dlq list --help')",
            max.Error.TrimEnd());
        Assert.All(new[] { output, number, max }, run => Assert.Equal(ExitCodes.Usage, run.ExitCode));
    }

    [Fact]
    public void Enum_values_parse_in_any_case_and_unset_is_the_documented_default()
    {
        var root = CliApp.BuildRoot(new CliHarness().Context());

        Assert.Equal(OutputFormat.Json, root.Parse(["doctor", "-o", "JSON"]).GetValue<OutputFormat>(CliApp.OutputOption));
        Assert.Equal(OutputFormat.Auto, root.Parse(["doctor"]).GetValue<OutputFormat>(CliApp.OutputOption));
        Assert.Equal(BridgeQueue.Termination, root.Parse(["dlq", "list"]).GetValue<BridgeQueue>("--queue"));
        Assert.Equal(BridgeQueue.Housekeeping, root.Parse(["dlq", "list", "-q", "Housekeeping"]).GetValue<BridgeQueue>("--queue"));
        Assert.Equal("MalformedInstanceId", root.Parse(["dlq", "show", "--reason", "malformedinstanceid"]).GetValue<string>("--reason"));
        Assert.Equal(SweepKind.StaleSsm, root.Parse(["sweep", "last", "Stale-SSM"]).GetValue<SweepKind>("sweep"));
    }

    [Fact]
    public async Task An_unreachable_aws_endpoint_exits_6_on_one_line()
    {
        using var sqs = new AmazonSQSClient(
            new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 });
        var harness = new CliHarness
        {
            Sqs = sqs,
            Environment = { ["RUNS_FLEET_TERMINATION_QUEUE_URL"] = "http://127.0.0.1:9/000000000000/runs-fleet-termination" },
        };

        var run = await harness.RunAsync("dlq", "list");

        Assert.Equal(ExitCodes.AwsError, run.ExitCode);
        Assert.Equal("runs-fleet: AWS: connection failed: Connection refused (127.0.0.1:9)", run.Error.TrimEnd());
    }

    [Fact]
    public async Task An_unreachable_temporal_exits_5_with_what_where_and_why_and_a_bad_address_exits_8()
    {
        var unreachable = await Assert.ThrowsAsync<CliException>(() => CliContext.ConnectAsync(
            new Dictionary<string, string?> { ["TEMPORAL_ADDRESS"] = "127.0.0.1:9" }, CancellationToken.None));
        var invalid = await Assert.ThrowsAsync<CliException>(() => CliContext.ConnectAsync(
            new Dictionary<string, string?> { ["TEMPORAL_ADDRESS"] = "bad:address:x" }, CancellationToken.None));

        Assert.Equal(
            (ExitCodes.TemporalError, "cannot reach Temporal at 127.0.0.1:9 (namespace default): "
                + "Connection failed: Server connection error: tcp connect error: Connection refused"),
            CliApp.Explain(unreachable));
        Assert.Equal(ExitCodes.InvalidConfiguration, invalid.ExitCode);
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
            (new HttpRequestException("Connection refused (127.0.0.1:9)"), ExitCodes.AwsError),
            (new InvalidOperationException("boom\nsecond line"), ExitCodes.Failure),
        };

        foreach (var (error, code) in cases)
        {
            var (actual, message) = CliApp.Explain(error);
            Assert.Equal(code, actual);
            Assert.DoesNotContain('\n', message);
            Assert.False(string.IsNullOrWhiteSpace(message));
        }

        var noRegion = CliApp.Explain(new AmazonClientException("No RegionEndpoint or ServiceURL configured"));
        Assert.Equal(ExitCodes.AwsError, noRegion.Code);
        Assert.Contains("set AWS_REGION", noRegion.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.TemporalError, CliApp.Explain(new RpcException(RpcException.StatusCode.Unavailable, "connection refused", null)).Code);
        Assert.Equal(ExitCodes.NotFound, CliApp.Explain(new RpcException(RpcException.StatusCode.NotFound, "schedule not found", null)).Code);
    }
}
