namespace RunsFleet.Contracts.Sweeps.PoolAudit;

// As a trigger (message, schedule, operator) gives it. The audit runs in one activity, so there
// is no continuation state: the input stays the same size at any number of pools.

/// <summary>Input of PoolAudit.</summary>
public sealed record PoolAuditInput
{
    /// <summary>Compute and log the report, but write nothing (no S3, no metrics).</summary>
    public bool DryRun { get; init; }
}
