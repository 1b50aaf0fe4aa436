namespace RunsFleet.Workflows.Sweeps.StaleSsm;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.

/// <summary>Input of StaleSsmSweep.</summary>
public sealed record StaleSsmSweepInput
{
    public bool DryRun { get; init; }

    /// <summary>Parameters younger than this are kept (default 10).</summary>
    public int? GraceMinutes { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    public StaleSsmSweepContinuation? Continuation { get; init; }
}
