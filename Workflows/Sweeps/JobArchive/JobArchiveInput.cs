namespace RunsFleet.Workflows.Sweeps.JobArchive;

// As a trigger (message, schedule, operator) gives it: a null setting means "the worker's
// configured default"; the continuation field is set only by the workflow itself on continue-as-new.

/// <summary>Input of OldJobArchival.</summary>
public sealed record JobArchiveInput
{
    public bool DryRun { get; init; }

    /// <summary>Records completed longer ago than this are archived and deleted (default 7).</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Set only by the sweep itself when it continues as new; triggers leave it null.</summary>
    public JobArchiveContinuation? Continuation { get; init; }
}
