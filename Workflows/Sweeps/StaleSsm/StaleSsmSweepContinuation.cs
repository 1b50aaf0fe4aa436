using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Workflows.Sweeps.StaleSsm;

/// <summary>The scan so far, handed to the next run when it continues as new: the settings and
/// "now" fixed at the first run, where the listing stopped, and the totals so far.</summary>
public sealed record StaleSsmSweepContinuation
{
    public required StaleSsmSweepPlan Settings { get; init; }

    /// <summary>DescribeParameters token of the next page; null before the first (a continued run always has
    /// one: it continues only while the listing goes on).</summary>
    public string? NextToken { get; init; }

    /// <summary>Totals so far; its Now is the sweep's clock.</summary>
    public required StaleSsmSweepResult Totals { get; init; }
}
