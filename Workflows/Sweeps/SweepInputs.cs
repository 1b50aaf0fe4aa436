namespace RunsFleet.Workflows.Sweeps;

// Inputs of the sweeps as a trigger (message, schedule, operator) gives them. A null
// setting means "the worker's configured default". The sweep workflows may add
// continuation fields (cursor, totals) for continue-as-new; triggers leave them null.

/// <summary>Input of OrphanSweep.</summary>
public sealed record OrphanSweepInput
{
    public bool DryRun { get; init; }

    /// <summary>Longest a job may run before its instance is suspect (default 360).</summary>
    public int? MaxRuntimeMinutes { get; init; }

    /// <summary>Blast-radius cap: above this many orphans, terminate none (default 50).</summary>
    public int? MaxTerminations { get; init; }

    /// <summary>Listing pages per run before continue-as-new (default: worker configuration; tests set it small).</summary>
    public int? PagesPerRun { get; init; }

    /// <summary>Continuation: the scan so far. Set only by the workflow itself on continue-as-new.</summary>
    public OrphanSweepProgress? Progress { get; init; }
}

/// <summary>Input of StaleSsmSweep.</summary>
public sealed record StaleSsmSweepInput
{
    public bool DryRun { get; init; }

    /// <summary>Parameters younger than this are kept (default 10).</summary>
    public int? GraceMinutes { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    public StaleSsmSweepContinuation? Continuation { get; init; }
}

/// <summary>Input of OldJobArchival.</summary>
public sealed record OldJobArchivalInput
{
    public bool DryRun { get; init; }

    /// <summary>Records completed longer ago than this are archived and deleted (default 7).</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    public OldJobArchivalContinuation? Continuation { get; init; }
}

/// <summary>Input of PoolAudit.</summary>
public sealed record PoolAuditInput
{
    /// <summary>Compute and return the report, but write nothing (no S3, no metrics).</summary>
    public bool DryRun { get; init; }

    /// <summary>Pages (pool table and EC2) per run before continue-as-new (default: worker configuration).</summary>
    public int? PagesPerRun { get; init; }

    /// <summary>Continuation: the audit so far. Set only by the workflow itself on continue-as-new.</summary>
    public PoolAuditProgress? Progress { get; init; }
}
