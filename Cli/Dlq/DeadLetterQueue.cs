using RunsFleet.Hosting;
using System.Text.Json;
using Amazon.SQS;
using RunsFleet.Cli.Common;
using RunsFleet.SqsBridge.Configuration;

namespace RunsFleet.Cli.Dlq;

/// <summary>Which of the bridge's queues a dlq command works on.</summary>
internal enum BridgeQueue
{
    /// <summary>The termination queue (RUNS_FLEET_TERMINATION_QUEUE_URL), standard or FIFO.</summary>
    Termination,

    /// <summary>The housekeeping queue (RUNS_FLEET_HOUSEKEEPING_QUEUE_URL).</summary>
    Housekeeping,
}

/// <summary>A source queue of the bridge and the dead-letter queue its RedrivePolicy names, found the way
/// the bridge finds them: the URL from the bridge's own variable, the DLQ from the queue itself.</summary>
/// <param name="Queue">Termination or housekeeping.</param>
/// <param name="SourceUrl">URL of the source queue (where redriven messages go).</param>
/// <param name="SourceArn">ARN of the source queue.</param>
/// <param name="Url">URL of the dead-letter queue.</param>
/// <param name="Arn">ARN of the dead-letter queue.</param>
internal sealed record DeadLetterQueue(BridgeQueue Queue, string SourceUrl, string SourceArn, string Url, string Arn)
{
    /// <summary>The dead-letter queue's name (the last part of its ARN).</summary>
    public string Name => NameOf(Arn);

    /// <summary>The source queue's name.</summary>
    public string SourceName => NameOf(SourceArn);

    /// <summary>FIFO queues (and their DLQs, which SQS requires to be of the same kind) end in .fifo.</summary>
    public bool IsFifo => Name.EndsWith(".fifo", StringComparison.Ordinal);

    /// <summary>Reads the RedrivePolicy of the source queue at <paramref name="sourceUrl"/> (from
    /// <see cref="RequireSourceUrl"/>) and looks up the dead-letter queue it names.</summary>
    public static async Task<DeadLetterQueue> ResolveAsync(IAmazonSQS sqs, BridgeQueue queue, string sourceUrl,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        var attributes = (await sqs.GetQueueAttributesAsync(sourceUrl, ["QueueArn", "RedrivePolicy"],
            cancellationToken).ConfigureAwait(false)).Attributes ?? [];
        var sourceArn = attributes.GetValueOrDefault("QueueArn") ?? sourceUrl;
        var targetArn = DeadLetterTargetArn(attributes.GetValueOrDefault("RedrivePolicy")) ?? throw new CliException(
            ExitCodes.NotFound,
            $"the {Lower(queue)} queue {sourceUrl} has no RedrivePolicy with a deadLetterTargetArn: it has no "
                + $"dead-letter queue");
        var url = (await sqs.GetQueueUrlAsync(NameOf(targetArn), cancellationToken).ConfigureAwait(false)).QueueUrl;
        return new DeadLetterQueue(queue, sourceUrl, sourceArn, url, targetArn);
    }

    /// <summary>The source queue's URL from the bridge's variable; exit 8 when unset. Commands check it
    /// before they build an AWS client, so a missing setting is named before any AWS problem.</summary>
    public static string RequireSourceUrl(CliContext context, BridgeQueue queue)
    {
        ArgumentNullException.ThrowIfNull(context);
        var variable = queue == BridgeQueue.Termination
            ? BridgeOptions.TerminationQueueUrlVariable
            : BridgeOptions.HousekeepingQueueUrlVariable;
        return context.Variable(variable) ?? throw new CliException(
            ExitCodes.InvalidConfiguration,
            $"{variable} is not set: give the URL of the {Lower(queue)} queue (the bridge's setting) to find its "
                + $"dead-letter queue");
    }

    private static string? DeadLetterTargetArn(string? redrivePolicy)
    {
        if (string.IsNullOrWhiteSpace(redrivePolicy))
        {
            return null;
        }

        try
        {
            using var policy = JsonDocument.Parse(redrivePolicy);
            return policy.RootElement.ValueKind == JsonValueKind.Object
                && policy.RootElement.TryGetProperty("deadLetterTargetArn", out var arn)
                && arn.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(arn.GetString())
                ? arn.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string NameOf(string arnOrUrl) => arnOrUrl[(arnOrUrl.LastIndexOfAny([':', '/']) + 1)..];

    private static string Lower(BridgeQueue queue) => queue.ToString().ToLowerInvariant();
}
