using RunsFleet.Activities.Preflight;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>The bucket and queue verdicts, and the queue rule agreeing with the bridge's own start-up check.</summary>
public class ResourceRulesTests
{
    private const string Url = "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-termination";
    private const string Arn = "arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination";

    public static TheoryData<string?> Policies => new()
    {
        null,
        "",
        "not json",
        "[]",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination-dlq\",\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination-dlq\",\"maxReceiveCount\":\"5\"}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination-dlq\",\"maxReceiveCount\":0}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination-dlq\"}",
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_queue_is_ready_exactly_when_the_bridge_would_start_on_it(string? policy)
    {
        var attributes = new Dictionary<string, string> { ["QueueArn"] = Arn };
        if (policy is not null)
        {
            attributes["RedrivePolicy"] = policy;
        }

        var finding = ResourceRules.Queue(new QueueProbe(PreflightSettings.TerminationQueueUrlVariable, Url, attributes), "termination");
        var bridgeStarts = Record.Exception(() => QueueSettings.From(attributes, Url, "termination")) is null;

        Assert.Equal(bridgeStarts, finding is null);
    }

    [Fact]
    public void A_queue_without_a_dead_letter_queue_gets_one_named_as_runs_fleet_names_them()
    {
        var finding = ResourceRules.Queue(new QueueProbe("V", Url, new Dictionary<string, string> { ["QueueArn"] = Arn }), "termination")!;

        Assert.Equal(
            "aws sqs create-queue --queue-name runs-fleet-termination-dlq --attributes MessageRetentionPeriod=1209600 && "
            + $"aws sqs set-queue-attributes --queue-url {Url} --attributes '{{\"RedrivePolicy\":\"{{\\\"deadLetterTargetArn\\\":"
            + "\\\"arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination-dlq\\\",\\\"maxReceiveCount\\\":\\\"3\\\"}\"}'",
            finding.Fix);
        Assert.Equal(ResourceRules.TerminationQueueTerraform, finding.Terraform);

        var fifo = ResourceRules.Queue(
            new QueueProbe("V", Url + ".fifo", new Dictionary<string, string> { ["QueueArn"] = Arn + ".fifo", ["FifoQueue"] = "true" }), "termination")!;
        Assert.StartsWith("aws sqs create-queue --queue-name runs-fleet-termination-dlq.fifo --attributes FifoQueue=true,MessageRetentionPeriod=1209600 && ", fifo.Fix, StringComparison.Ordinal);
        Assert.Contains("runs-fleet-termination-dlq.fifo\\\",\\\"maxReceiveCount", fifo.Fix, StringComparison.Ordinal);
        Assert.Null(fifo.Terraform); // runs-fleet's Terraform has no FIFO termination queue
    }

    [Fact]
    public void A_policy_without_a_count_keeps_its_dead_letter_queue()
    {
        var attributes = new Dictionary<string, string> { ["QueueArn"] = Arn, ["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:mine\"}" };

        var finding = ResourceRules.Queue(new QueueProbe("V", Url, attributes), "housekeeping")!;

        Assert.StartsWith("aws sqs set-queue-attributes", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("arn:aws:sqs:eu-west-1:1:mine", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_unreadable_queues_and_buckets_say_so()
    {
        Assert.Equal(PreflightState.NotReady, ResourceRules.Queue(new QueueProbe("V", Url, null, NotFound: true), "termination")!.State);
        Assert.Equal(PreflightState.Unchecked, ResourceRules.Queue(new QueueProbe("V", Url, null, Failure: "AccessDenied: no"), "termination")!.State);
        Assert.Null(ResourceRules.Bucket(new BucketProbe("b", BucketAnswer.Found), "V", "x"));
        var missing = ResourceRules.Bucket(new BucketProbe("archive", BucketAnswer.NotFound), "RUNS_FLEET_JOB_ARCHIVE_BUCKET", "old records are then deleted without an archive copy")!;
        Assert.Equal("the bucket archive (RUNS_FLEET_JOB_ARCHIVE_BUCKET) does not exist", missing.Problem);
        Assert.Equal("set RUNS_FLEET_JOB_ARCHIVE_BUCKET to an existing bucket (aws s3 mb s3://archive creates it), or unset RUNS_FLEET_JOB_ARCHIVE_BUCKET (old records are then deleted without an archive copy)", missing.Fix);
        Assert.Equal(PreflightState.NotReady, ResourceRules.Bucket(new BucketProbe("b", BucketAnswer.Forbidden, "403 Forbidden"), "V", "x")!.State);
        Assert.Equal(PreflightState.Unchecked, ResourceRules.Bucket(new BucketProbe("b", BucketAnswer.Failed, "HttpRequestException"), "V", "x")!.State);
    }
}
