using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Workflows.Sweeps.StaleSsm;

/// <summary>What a StaleSsmSweep run hands to the next one when it continues as new: the settings and
/// "now" fixed at the first run, where the listing stopped, and the totals so far.</summary>
public sealed record StaleSsmSweepContinuation
{
    public required StaleSsmSweepPlan Settings { get; init; }

    /// <summary>DescribeParameters token of the next page.</summary>
    public required string NextToken { get; init; }

    /// <summary>Totals so far; its Now is the sweep's clock.</summary>
    public required StaleSsmSweepResult Totals { get; init; }
}
