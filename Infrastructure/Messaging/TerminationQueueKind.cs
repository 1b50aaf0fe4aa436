namespace RunsFleet.Infrastructure.Messaging;

/// <summary>The kind of SQS queue the runner agents and the boot shim send termination messages to. A FIFO queue
/// refuses a SendMessage without MessageGroupId, which is how the stock runs-fleet agent sends; a standard
/// queue takes sends with or without one (the boot shim passes <c>--message-group-id</c>; on a standard queue
/// SQS uses it for fair queuing, not ordering).</summary>
public enum TerminationQueueKind
{
    /// <summary>FIFO with content-based deduplication (the default): order within a message group, and an
    /// identical body sent again within 5 minutes is dropped by SQS. Every sender must pass a
    /// MessageGroupId, which the stock runs-fleet agent does not do.</summary>
    Fifo,

    /// <summary>Standard: accepts the stock runs-fleet agent's sends (no MessageGroupId, no deduplication id),
    /// as runs-fleet's own termination queue does. Delivery is at least once and unordered.</summary>
    Standard,
}

/// <summary>The context values of <see cref="TerminationQueueKind"/> and the queue names each kind gets.</summary>
public static class TerminationQueueKinds
{
    /// <summary>The values <c>runsFleet:terminationQueueKind</c> accepts, in the words operators type.</summary>
    public static IReadOnlyList<string> Values { get; } =
        Enum.GetValues<TerminationQueueKind>().Select(ToValue).ToList();

    /// <summary>The context value of a kind.</summary>
    public static string ToValue(this TerminationQueueKind kind) => kind switch
    {
        TerminationQueueKind.Fifo => "fifo",
        TerminationQueueKind.Standard => "standard",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a context value (case and surrounding blanks ignored); false for anything else.</summary>
    public static bool TryParse(string value, out TerminationQueueKind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Enum.GetValues<TerminationQueueKind>().Cast<TerminationQueueKind?>().FirstOrDefault(
            candidate => string.Equals(value.Trim(), candidate!.Value.ToValue(), StringComparison.OrdinalIgnoreCase));
        kind = match ?? default;
        return match is not null;
    }
}
