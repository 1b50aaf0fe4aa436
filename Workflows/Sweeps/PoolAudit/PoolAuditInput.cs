namespace RunsFleet.Workflows.Sweeps.PoolAudit;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.

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
