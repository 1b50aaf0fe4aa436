using System.Text.RegularExpressions;
using Amazon.CDK;

namespace RunsFleet.Infrastructure.Messaging;

/// <summary>An SQS queue that already exists and that the stack adopts instead of creating: given by name (in the
/// stack's account and region) or by URL (any region or account; what <c>aws sqs get-queue-url</c> prints).</summary>
/// <param name="Name">The queue's name, e.g. <c>runs-fleet-termination</c>.</param>
/// <param name="Url">The URL it was given by; null when given by name.</param>
/// <param name="Region">Region of the URL; null when given by name.</param>
/// <param name="Account">Account of the URL; null when given by name.</param>
public sealed partial record QueueReference(string Name, string? Url, string? Region, string? Account)
{
    /// <summary>FIFO queues, and only they, have names ending in <c>.fifo</c> (an SQS rule).</summary>
    public TerminationQueueKind Kind =>
        Name.EndsWith(".fifo", StringComparison.Ordinal) ? TerminationQueueKind.Fifo : TerminationQueueKind.Standard;

    /// <summary>Reads a queue name or URL; null, with the reason, for anything else.</summary>
    public static QueueReference? TryParse(string value, out string problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = string.Empty;
        var url = QueueUrl().Match(value);
        if (url.Success)
        {
            var name = url.Groups["name"].Value;
            return ValidName(name)
                ? new QueueReference(name, value, url.Groups["region"].Value, url.Groups["account"].Value)
                : Refuse($"the URL's last segment '{name}' is not a queue name", out problem);
        }

        if (value.Contains('/', StringComparison.Ordinal) || value.Contains(':', StringComparison.Ordinal))
        {
            return Refuse(
                "expected a queue name or a URL https://sqs.<region>.amazonaws.com/<12-digit account>/<name>",
                out problem);
        }

        return ValidName(value)
            ? new QueueReference(value, null, null, null)
            : Refuse("a queue name is 1-80 of A-Z a-z 0-9 - _, a FIFO queue's ending in .fifo", out problem);
    }

    /// <summary>The queue's ARN: from the URL's region and account, else the stack's.</summary>
    public string ArnIn(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return Region is null
            ? stack.FormatArn(
                new ArnComponents { Service = "sqs", Resource = Name, ArnFormat = ArnFormat.NO_RESOURCE_NAME })
            : $"arn:{Aws.PARTITION}:sqs:{Region}:{Account}:{Name}";
    }

    // SQS: up to 80 characters, alphanumerics, hyphens and underscores; a FIFO name ends in .fifo within those 80.
    private static bool ValidName(string name) => QueueName().IsMatch(name) && name.Length <= 80;

    private static QueueReference? Refuse(string reason, out string problem)
    {
        problem = reason;
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.fifo)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    [GeneratedRegex(
        @"^https://sqs\.(?<region>[a-z]{2}(-[a-z]+)+-[0-9])\.amazonaws\.com(\.cn)?"
        + @"/(?<account>[0-9]{12})/(?<name>[^/]+)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex QueueUrl();
}
