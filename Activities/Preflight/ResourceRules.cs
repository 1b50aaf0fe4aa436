using System.Globalization;
using System.Text.Json;

namespace RunsFleet.Activities.Preflight;

/// <summary>What HeadBucket answered.</summary>
public enum BucketAnswer
{
    Found,
    NotFound,

    /// <summary>403: the bucket exists, but this identity may not read it (or it is another account's).</summary>
    Forbidden,

    /// <summary>No answer (network, credentials): see the probe's failure.</summary>
    Failed,
}

/// <summary>One HeadBucket.</summary>
/// <param name="Bucket">The bucket asked for.</param>
/// <param name="Answer">What S3 said.</param>
/// <param name="Failure">The error, for Forbidden and Failed.</param>
public sealed record BucketProbe(string Bucket, BucketAnswer Answer, string? Failure = null);

/// <summary>One GetQueueAttributes of a bridge queue.</summary>
/// <param name="Variable">The variable giving its URL.</param>
/// <param name="Url">The queue URL.</param>
/// <param name="Attributes">RedrivePolicy, QueueArn, FifoQueue as SQS answered (null when it did not).</param>
/// <param name="NotFound">True when SQS said the queue does not exist.</param>
/// <param name="Failure">The error when SQS did not answer.</param>
public sealed record QueueProbe(
    string Variable,
    string Url,
    IReadOnlyDictionary<string, string>? Attributes,
    bool NotFound = false,
    string? Failure = null);

/// <summary>Pure verdicts on buckets and the bridge's queues, each problem with its one fix.</summary>
public static class ResourceRules
{
    /// <summary>maxReceiveCount the fix sets: runs-fleet's (deploy/terraform/queues.tf:16) and the CDK app's.</summary>
    public const int MaxReceiveCount = 3;

    /// <summary>The problem with the bucket <paramref name="variable"/> names, or null when it exists.</summary>
    public static PreflightFinding? Bucket(BucketProbe probe, string variable, string unsetMeans)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var unset = $"or unset {variable} ({unsetMeans})";
        return probe.Answer switch
        {
            BucketAnswer.Found => null,
            BucketAnswer.NotFound => PreflightFinding.NotReady(
                $"the bucket {probe.Bucket} ({variable}) does not exist",
                $"set {variable} to an existing bucket (aws s3 mb s3://{probe.Bucket} creates it), {unset}"),
            BucketAnswer.Forbidden => PreflightFinding.NotReady(
                $"the bucket {probe.Bucket} ({variable}) exists but HeadBucket was refused ({probe.Failure}): another "
                + "account's, or this identity may not use it",
                $"set {variable} to a bucket of this account the worker may write to, {unset}"),
            _ => PreflightFinding.Unchecked(
                $"could not read the bucket {probe.Bucket} ({variable}): {probe.Failure}",
                $"check the credentials and network, and allow s3:ListBucket on {probe.Bucket} to this identity"),
        };
    }

    /// <summary>The problem with a bridge queue, or null when it has a RedrivePolicy naming a dead-letter
    /// queue and a positive maxReceiveCount: the same rule the bridge applies at start
    /// (SqsBridge/Pump/QueueSettings.cs), which refuses a queue without one.</summary>
    public static PreflightFinding? Queue(QueueProbe probe, string kind)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (probe.NotFound)
        {
            return PreflightFinding.NotReady(
                $"the {kind} queue {probe.Url} ({probe.Variable}) does not exist",
                $"set {probe.Variable} to the queue's URL (aws sqs get-queue-url --queue-name <name> prints it)");
        }

        if (probe.Attributes is not { } attributes)
        {
            return PreflightFinding.Unchecked(
                $"could not read the {kind} queue {probe.Url} ({probe.Variable}): {probe.Failure}",
                $"check the credentials and network, and allow sqs:GetQueueAttributes on the {kind} queue to this "
                + "identity");
        }

        var policy = attributes.GetValueOrDefault("RedrivePolicy");
        var (target, count) = ReadRedrivePolicy(policy);
        if (target is not null && count > 0)
        {
            return null;
        }

        var arn = attributes.GetValueOrDefault("QueueArn");
        var fifo = string.Equals(attributes.GetValueOrDefault("FifoQueue"), "true", StringComparison.OrdinalIgnoreCase);
        var setPolicy = SetRedrivePolicyCommand(probe.Url, target ?? DeadLetterArn(arn, fifo));
        if (string.IsNullOrWhiteSpace(policy) || target is null)
        {
            var create = $"aws sqs create-queue --queue-name {DeadLetterName(arn, fifo)} --attributes "
                + (fifo ? "FifoQueue=true,MessageRetentionPeriod=1209600" : "MessageRetentionPeriod=1209600");
            return PreflightFinding.NotReady(
                $"the {kind} queue {probe.Url} has no RedrivePolicy with a dead-letter queue: an invalid message "
                + "would be received forever, and the bridge refuses to start",
                $"{create} && {setPolicy}",
                kind == "termination" && !fifo ? TerminationQueueTerraform : null);
        }

        return PreflightFinding.NotReady(
            $"the {kind} queue {probe.Url} has a RedrivePolicy without a positive maxReceiveCount: {policy}",
            setPolicy);
    }

    /// <summary>The change to runs-fleet's deploy/terraform/queues.tf, whose termination queue (lines 62-66)
    /// has no dead-letter queue; it uses that file's locals (lines 14-21).</summary>
    public const string TerminationQueueTerraform =
        "add to runs-fleet's deploy/terraform/queues.tf a dead-letter queue and a redrive_policy "
        + "in resource \"aws_sqs_queue\" \"termination\":\n"
        + "resource \"aws_sqs_queue\" \"termination_dlq\" {\n"
        + "  name                      = \"runs-fleet-termination-dlq\"\n"
        + "  message_retention_seconds = local.dlq_retention_seconds\n"
        + "}\n\n"
        + "# inside resource \"aws_sqs_queue\" \"termination\":\n"
        + "redrive_policy = jsonencode({\n"
        + "  deadLetterTargetArn = aws_sqs_queue.termination_dlq.arn\n"
        + "  maxReceiveCount     = local.dlq_max_receive_count\n"
        + "})";

    /// <summary>deadLetterTargetArn and a positive maxReceiveCount (number or numeric string) of a policy;
    /// nulls where absent.</summary>
    public static (string? Target, int? MaxReceiveCount) ReadRedrivePolicy(string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(policy);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var target = root.TryGetProperty("deadLetterTargetArn", out var arn)
                && arn.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(arn.GetString())
                    ? arn.GetString()
                    : null;
            int? count = root.TryGetProperty("maxReceiveCount", out var value) ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var number) => number,
                JsonValueKind.String when int.TryParse(
                    value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text) => text,
                _ => null,
            } : null;
            return (target, count > 0 ? count : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string SetRedrivePolicyCommand(string url, string deadLetterArn) =>
        $"aws sqs set-queue-attributes --queue-url {url} --attributes "
        + $"'{{\"RedrivePolicy\":\"{{\\\"deadLetterTargetArn\\\":\\\"{deadLetterArn}\\\","
        + $"\\\"maxReceiveCount\\\":\\\"{MaxReceiveCount}\\\"}}\"}}'";

    // runs-fleet's and the CDK app's naming: <queue>-dlq, <queue>-dlq.fifo for a FIFO queue.
    private static string DeadLetterName(string? queueArn, bool fifo)
    {
        var name = queueArn?.Split(':')[^1] is { Length: > 0 } last ? last : "<queue-name>";
        var stem = fifo && name.EndsWith(".fifo", StringComparison.Ordinal) ? name[..^".fifo".Length] : name;
        return stem + (fifo ? "-dlq.fifo" : "-dlq");
    }

    private static string DeadLetterArn(string? queueArn, bool fifo)
    {
        var parts = queueArn?.Split(':');
        return parts is { Length: 6 }
            ? string.Join(':', parts[..5]) + ":" + DeadLetterName(queueArn, fifo)
            : "arn:aws:sqs:<region>:<account>:" + DeadLetterName(queueArn, fifo);
    }
}
