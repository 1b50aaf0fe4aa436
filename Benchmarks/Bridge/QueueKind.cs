namespace RunsFleet.Benchmarks.Bridge;

/// <summary>The two termination queue kinds the bridge runs on (issue 7, part 2).</summary>
internal enum QueueKind
{
    /// <summary>What stock agents can send to: no group id, at-least-once, no order.</summary>
    Standard,

    /// <summary>FIFO with content-based deduplication; every instance is its own message group.</summary>
    Fifo,
}
